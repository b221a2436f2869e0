using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// The epoch's shuffle: a keyed Feistel permutation of MNIST's 54,000 training indices (the 60,000 less a tenth for
/// validation) and of 60,000, computed on the device; checked exactly against the host reference before timing.
/// GB/s counts the indices written (4 bytes each); no float operations.
/// </summary>
public class ShuffleBenchmarks : DeviceBenchmark
{
    private MemoryBuffer<int> indices = null!;
    private int epoch;

    /// <summary>Indices to permute.</summary>
    [Params(54_000, 60_000)]
    public int Count { get; set; } = 54_000;

    /// <inheritdoc />
    public override double Flops => 0;

    /// <inheritdoc />
    public override double Bytes => 4.0 * Count;

    /// <summary>Allocates, permutes once and checks every index against the host reference.</summary>
    protected override void Prepare()
    {
        indices = Allocate<int>(Count);
        indices.Fill(-1);
        Shuffle.Permutation(Accelerator, indices.View, 7, 1);
        var expected = ShuffleReference.Permutation(Count, 7, 1);
        var actual = indices.ToArray();
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            throw new InvalidOperationException($"Shuffle ({Count}) on {Device}: the device permutation differs from the reference");
        }
    }

    /// <summary>One epoch's permutation (a new epoch each call, as in training).</summary>
    [Benchmark]
    public void Permute()
    {
        Shuffle.Permutation(Accelerator, indices.View, 7, ++epoch);
        Accelerator.Synchronize();
    }
}
