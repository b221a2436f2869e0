using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// Softmax on logits (N, classes) — the model's (N, 10), and (N, 1000) to show where one group per row pays — with each
/// variant, on each accelerator, checked against float64 before timing. GB/s counts the logits read once and the
/// output written; GFLOP/s counts 4 per logit (subtract, exp, add, scale), exp as one.
/// </summary>
public class SoftmaxBenchmarks : DeviceBenchmark
{
    private MemoryBuffer<float> x = null!;
    private MemoryBuffer<float> y = null!;

    /// <summary>Batch size N.</summary>
    [Params(64, 256)]
    public int Batch { get; set; } = 64;

    /// <summary>Classes per row.</summary>
    [Params(10, 1000)]
    public int Classes { get; set; } = 10;

    /// <summary>Variant 0 (a lane per row) or 1 (a group per row).</summary>
    [Params(SoftmaxVariant.RowPerLane, SoftmaxVariant.RowPerGroup)]
    public SoftmaxVariant Variant { get; set; }

    private int Count => Batch * Classes;

    /// <inheritdoc />
    public override double Flops => 4.0 * Count;

    /// <inheritdoc />
    public override double Bytes => 8.0 * Count;

    /// <summary>Allocates, runs the op once and checks it against float64.</summary>
    protected override void Prepare()
    {
        var random = new Random(42);
        var hx = Enumerable.Range(0, Count).Select(_ => (float)(random.NextDouble() * 20 - 10)).ToArray();
        x = Allocate(hx);
        y = Allocate<float>(Count);
        y.Fill(float.NaN);
        Rows();
        var expected = SoftmaxReference.Forward(hx.Select(v => (double)v).ToArray(), Batch, Classes);
        var samples = Enumerable.Range(0, 4096).Select(_ => random.Next(Count)).Select(i => (i, expected[i])).ToList();
        Verify.Close($"Softmax {Variant} ({Batch}, {Classes}) on {Device}", samples, y.ToArray(), 1e-6, 1e-4);
    }

    /// <summary>One launch of the op.</summary>
    [Benchmark]
    public void Rows()
    {
        Softmax.Forward(Accelerator, x.View, y.View, Batch, Classes, variant: Variant);
        Accelerator.Synchronize();
    }
}
