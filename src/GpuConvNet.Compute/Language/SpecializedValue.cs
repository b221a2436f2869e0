using System.Globalization;

namespace GpuConvNet.Compute;

/// <summary>
/// A kernel parameter whose value is compiled into the kernel, as ILGPU's <c>SpecializedValue&lt;T&gt;</c>: each
/// distinct value the host passes gets its own device program, in which the value is a constant — so it may size
/// private and shared arrays and bound loops that the device compiler unrolls. Read it with <see cref="Value"/> (or
/// convert it implicitly to <typeparamref name="T"/>). T is <c>int</c>, <c>uint</c>, <c>long</c> or <c>float</c>.
/// </summary>
/// <remarks>
/// A kernel with one block size per device (a tile of 8 or 16 columns, 6 or 12 rows, stride 1 or 2) is one kernel
/// with a specialised parameter instead of numbered copies. Every value costs a compilation on first launch (and
/// engines keep at most <see cref="KernelDefinition.MaxSpecializations"/> per kernel): pass a few values, not one per
/// problem size.
/// </remarks>
public readonly struct SpecializedValue<T> : IEquatable<SpecializedValue<T>> where T : unmanaged, IEquatable<T>
{
    /// <summary>Wraps <paramref name="value"/>.</summary>
    public SpecializedValue(T value) => Value = value;

    /// <summary>The value, a constant in the compiled kernel.</summary>
    public T Value { get; }

    /// <summary>Reads the value.</summary>
    public static implicit operator T(SpecializedValue<T> value) => value.Value;

    /// <summary>Compares two values.</summary>
    public static bool operator ==(SpecializedValue<T> left, SpecializedValue<T> right) => left.Equals(right);

    /// <summary>Compares two values.</summary>
    public static bool operator !=(SpecializedValue<T> left, SpecializedValue<T> right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(SpecializedValue<T> other) => Value.Equals(other.Value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SpecializedValue<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Convert.ToString(Value, CultureInfo.InvariantCulture) ?? "";
}

/// <summary>Creates <see cref="SpecializedValue{T}"/>s (as ILGPU's <c>SpecializedValue.New</c>).</summary>
public static class SpecializedValue
{
    /// <summary>A value to compile into a kernel.</summary>
    public static SpecializedValue<T> New<T>(T value) where T : unmanaged, IEquatable<T> => new(value);
}
