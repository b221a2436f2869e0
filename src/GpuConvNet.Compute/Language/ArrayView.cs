using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GpuConvNet.Compute;

/// <summary>
/// A typed window (offset, length) onto device memory: a kernel parameter, and on the host a handle that
/// kernel launches take. On the CPU accelerator it is also what kernels index, with a bounds check on every access.
/// </summary>
public readonly struct ArrayView<T> : IArrayView where T : unmanaged
{
    // CPU memory (CPU accelerator buffers and group shared memory); null for OpenCL and CUDA buffers.
    private readonly T[]? data;

    internal ArrayView(MemoryBuffer? buffer, T[]? data, int offset, int length)
    {
        Buffer = buffer;
        this.data = data;
        Offset = offset;
        Length = length;
    }

    /// <summary>The buffer this view lies in (null for CPU shared memory).</summary>
    public MemoryBuffer? Buffer { get; }

    /// <summary>Position of element 0 of this view in its buffer, in elements.</summary>
    public int Offset { get; }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>ILGPU's name for <see cref="Length"/> as an int (there, Length is a long).</summary>
    public int IntLength => Length;

    /// <summary>ILGPU's name: the view's extent as an index (its <see cref="Length"/>).</summary>
    public Index1D IntExtent => new(Length);

    /// <summary>True for the default (empty, unbound) view.</summary>
    public bool IsEmpty => Length == 0;

    int IArrayView.ElementSize => Unsafe.SizeOf<T>();

    Type IArrayView.ElementType => typeof(T);

    /// <summary>Element <paramref name="index"/>: checked against <see cref="Length"/> on the CPU accelerator.</summary>
    public ref T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)Length || data is null)
            {
                ThrowBadAccess(index);
            }
            return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(data!), Offset + index);
        }
    }

    /// <summary>The view of <paramref name="length"/> elements starting at <paramref name="offset"/>.</summary>
    public ArrayView<T> SubView(int offset, int length)
    {
        if (offset < 0 || length < 0 || (long)offset + length > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"SubView({offset}, {length}) does not fit in a view of {Length} elements");
        }
        return new ArrayView<T>(Buffer, data, Offset + offset, length);
    }

    /// <summary>The view from <paramref name="offset"/> to the end.</summary>
    public ArrayView<T> SubView(int offset) => SubView(offset, Length - offset);

    /// <summary>ILGPU's name, on the host: the view's elements, copied from its buffer.</summary>
    public T[] GetAsArray1D()
    {
        if (Buffer is not MemoryBuffer<T> buffer)
        {
            throw new InvalidOperationException("GetAsArray1D: this view lies in shared memory or no buffer; read its buffer instead");
        }
        var result = new T[Length];
        buffer.CopyToHost(result, Offset);
        return result;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBadAccess(int index)
    {
        if ((uint)index >= (uint)Length)
        {
            throw new ArrayViewIndexException(index, Length);
        }
        throw new InvalidOperationException(
            $"this view lies in {Buffer?.Accelerator.Name ?? "device"} memory: read it with CopyToHost, not on the host");
    }

    /// <inheritdoc />
    public override string ToString() => $"ArrayView<{typeof(T).Name}>[{Offset}..{Offset + Length})";
}

/// <summary>What the runtime needs of a view without knowing its element type.</summary>
public interface IArrayView
{
    /// <summary>The buffer this view lies in.</summary>
    MemoryBuffer? Buffer { get; }

    /// <summary>Offset in elements.</summary>
    int Offset { get; }

    /// <summary>Length in elements.</summary>
    int Length { get; }

    /// <summary>Element size in bytes.</summary>
    int ElementSize { get; }

    /// <summary>Element type.</summary>
    Type ElementType { get; }
}

/// <summary>A kernel indexed an <see cref="ArrayView{T}"/> outside its bounds (CPU accelerator).</summary>
public sealed class ArrayViewIndexException(int index, int length)
    : ArgumentOutOfRangeException(null, $"index {index} is outside the view's bounds [0, {length})")
{
    /// <summary>The index used.</summary>
    public int Index { get; } = index;

    /// <summary>The view's length.</summary>
    public int ViewLength { get; } = length;
}
