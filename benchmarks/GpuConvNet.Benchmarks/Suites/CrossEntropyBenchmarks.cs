using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// Cross-entropy on logits (N, classes) — the model's (N, 10), and (N, 1000) — on each accelerator: the mean loss
/// (reduced on the device in one group) and the fused softmax backward with each variant, checked against float64
/// before timing. GB/s counts the logits read once, the labels (4 bytes per row), and the output written (N·classes
/// floats, or one float for the loss); GFLOP/s counts 4 per logit (subtract, exp, add, scale), exp as one.
/// </summary>
public class CrossEntropyBenchmarks : DeviceBenchmark
{
    private MemoryBuffer<float> x = null!;
    private MemoryBuffer<float> dx = null!;
    private MemoryBuffer<float> loss = null!;
    private ClassLabels labels = null!;
    private float[] hx = null!;
    private int[] hlabels = null!;

    /// <summary>Batch size N.</summary>
    [Params(64, 256)]
    public int Batch { get; set; } = 64;

    /// <summary>Classes per row.</summary>
    [Params(10, 1000)]
    public int Classes { get; set; } = 10;

    /// <summary>The backward's variant: 0 (a lane per row) or 1 (a group per row).</summary>
    [Params(SoftmaxVariant.RowPerLane, SoftmaxVariant.RowPerGroup)]
    public SoftmaxVariant Variant { get; set; }

    private int Count => Batch * Classes;

    /// <inheritdoc />
    public override double Flops => 4.0 * Count;

    /// <inheritdoc />
    public override double Bytes => 8.0 * Count + 4.0 * Batch;

    /// <summary>Allocates, runs both passes once and checks them against float64.</summary>
    protected override void Prepare()
    {
        var random = new Random(42);
        hx = Enumerable.Range(0, Count).Select(_ => (float)(random.NextDouble() * 20 - 10)).ToArray();
        hlabels = Enumerable.Range(0, Batch).Select(_ => random.Next(Classes)).ToArray();
        x = Allocate(hx);
        dx = Allocate<float>(Count);
        loss = Allocate<float>(1);
        labels = Own(ClassLabels.Upload(Accelerator, hlabels, Classes));
        dx.Fill(float.NaN);
        loss.Fill(float.NaN);
        Loss();
        Backward();
        var xd = hx.Select(v => (double)v).ToArray();
        Verify.Close($"CrossEntropy loss ({Batch}, {Classes}) on {Device}", [(0, CrossEntropyReference.Loss(xd, hlabels, Batch, Classes))], loss.ToArray(), 1e-5, 1e-5);
        var expected = CrossEntropyReference.Backward(xd, hlabels, Batch, Classes);
        var samples = Enumerable.Range(0, 4096).Select(_ => random.Next(Count)).Select(i => (i, expected[i])).ToList();
        Verify.Close($"CrossEntropy backward {Variant} ({Batch}, {Classes}) on {Device}", samples, dx.ToArray(), 1e-6, 1e-4);
    }

    /// <summary>The mean loss, reduced on the device (the same kernel for both variants).</summary>
    [Benchmark]
    public void Loss()
    {
        CrossEntropy.Loss(Accelerator, x.View, labels, loss.View, Batch, Classes);
        Accelerator.Synchronize();
    }

    /// <summary>The fused softmax + cross-entropy backward.</summary>
    [Benchmark]
    public void Backward()
    {
        CrossEntropy.Backward(Accelerator, x.View, labels, dx.View, Batch, Classes, Variant);
        Accelerator.Synchronize();
    }
}
