namespace GpuConvNet.Compute;

// ILGPU.Algorithms' reduction and scan operations (ILGPU.Algorithms.ScanReduceOperations), by the same names, for
// GroupExtensions and WarpExtensions. They name the operation only: the generator lowers each, as a type argument of
// those calls, to device code; the CPU accelerator applies them. Identities are ILGPU's (Max on float starts from
// float.MinValue, not -∞). The double ones exist so that ported code compiles; the generator reports their use in
// kernels (GCN0020: devices may lack fp64).

/// <summary>A reduction or scan operation: an associative, commutative <see cref="Apply"/> and its neutral element.</summary>
/// <typeparam name="T">The element type.</typeparam>
public interface IScanReduceOperation<T> where T : struct
{
    /// <summary>The neutral element: Apply(Identity, x) == x.</summary>
    T Identity { get; }

    /// <summary>The operation.</summary>
    T Apply(T first, T second);
}

/// <summary>The sum of <c>int</c> values.</summary>
public readonly struct AddInt32 : IScanReduceOperation<int>
{
    /// <inheritdoc />
    public int Identity => 0;

    /// <inheritdoc />
    public int Apply(int first, int second) => first + second;
}

/// <summary>The maximum of <c>int</c> values.</summary>
public readonly struct MaxInt32 : IScanReduceOperation<int>
{
    /// <inheritdoc />
    public int Identity => int.MinValue;

    /// <inheritdoc />
    public int Apply(int first, int second) => Math.Max(first, second);
}

/// <summary>The minimum of <c>int</c> values.</summary>
public readonly struct MinInt32 : IScanReduceOperation<int>
{
    /// <inheritdoc />
    public int Identity => int.MaxValue;

    /// <inheritdoc />
    public int Apply(int first, int second) => Math.Min(first, second);
}

/// <summary>The sum of <c>uint</c> values.</summary>
public readonly struct AddUInt32 : IScanReduceOperation<uint>
{
    /// <inheritdoc />
    public uint Identity => 0;

    /// <inheritdoc />
    public uint Apply(uint first, uint second) => first + second;
}

/// <summary>The maximum of <c>uint</c> values.</summary>
public readonly struct MaxUInt32 : IScanReduceOperation<uint>
{
    /// <inheritdoc />
    public uint Identity => uint.MinValue;

    /// <inheritdoc />
    public uint Apply(uint first, uint second) => Math.Max(first, second);
}

/// <summary>The minimum of <c>uint</c> values.</summary>
public readonly struct MinUInt32 : IScanReduceOperation<uint>
{
    /// <inheritdoc />
    public uint Identity => uint.MaxValue;

    /// <inheritdoc />
    public uint Apply(uint first, uint second) => Math.Min(first, second);
}

/// <summary>The sum of <c>long</c> values.</summary>
public readonly struct AddInt64 : IScanReduceOperation<long>
{
    /// <inheritdoc />
    public long Identity => 0;

    /// <inheritdoc />
    public long Apply(long first, long second) => first + second;
}

/// <summary>The maximum of <c>long</c> values.</summary>
public readonly struct MaxInt64 : IScanReduceOperation<long>
{
    /// <inheritdoc />
    public long Identity => long.MinValue;

    /// <inheritdoc />
    public long Apply(long first, long second) => Math.Max(first, second);
}

/// <summary>The minimum of <c>long</c> values.</summary>
public readonly struct MinInt64 : IScanReduceOperation<long>
{
    /// <inheritdoc />
    public long Identity => long.MaxValue;

    /// <inheritdoc />
    public long Apply(long first, long second) => Math.Min(first, second);
}

/// <summary>The sum of <c>ulong</c> values.</summary>
public readonly struct AddUInt64 : IScanReduceOperation<ulong>
{
    /// <inheritdoc />
    public ulong Identity => 0;

    /// <inheritdoc />
    public ulong Apply(ulong first, ulong second) => first + second;
}

/// <summary>The maximum of <c>ulong</c> values.</summary>
public readonly struct MaxUInt64 : IScanReduceOperation<ulong>
{
    /// <inheritdoc />
    public ulong Identity => ulong.MinValue;

    /// <inheritdoc />
    public ulong Apply(ulong first, ulong second) => Math.Max(first, second);
}

/// <summary>The minimum of <c>ulong</c> values.</summary>
public readonly struct MinUInt64 : IScanReduceOperation<ulong>
{
    /// <inheritdoc />
    public ulong Identity => ulong.MaxValue;

    /// <inheritdoc />
    public ulong Apply(ulong first, ulong second) => Math.Min(first, second);
}

/// <summary>The sum of <c>float</c> values.</summary>
public readonly struct AddFloat : IScanReduceOperation<float>
{
    /// <inheritdoc />
    public float Identity => 0f;

    /// <inheritdoc />
    public float Apply(float first, float second) => first + second;
}

/// <summary>The maximum of <c>float</c> values.</summary>
public readonly struct MaxFloat : IScanReduceOperation<float>
{
    /// <inheritdoc />
    public float Identity => float.MinValue;

    /// <inheritdoc />
    public float Apply(float first, float second) => MathF.Max(first, second);
}

/// <summary>The minimum of <c>float</c> values.</summary>
public readonly struct MinFloat : IScanReduceOperation<float>
{
    /// <inheritdoc />
    public float Identity => float.MaxValue;

    /// <inheritdoc />
    public float Apply(float first, float second) => MathF.Min(first, second);
}

/// <summary>The sum of <c>double</c> values.</summary>
public readonly struct AddDouble : IScanReduceOperation<double>
{
    /// <inheritdoc />
    public double Identity => 0d;

    /// <inheritdoc />
    public double Apply(double first, double second) => first + second;
}

/// <summary>The maximum of <c>double</c> values.</summary>
public readonly struct MaxDouble : IScanReduceOperation<double>
{
    /// <inheritdoc />
    public double Identity => double.MinValue;

    /// <inheritdoc />
    public double Apply(double first, double second) => Math.Max(first, second);
}

/// <summary>The minimum of <c>double</c> values.</summary>
public readonly struct MinDouble : IScanReduceOperation<double>
{
    /// <inheritdoc />
    public double Identity => double.MaxValue;

    /// <inheritdoc />
    public double Apply(double first, double second) => Math.Min(first, second);
}
