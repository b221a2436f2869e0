using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>The row op a case times, with its variant.</summary>
public enum SoftmaxOp
{
    /// <summary>Softmax, variant 0 (one lane per row).</summary>
    SoftmaxRowPerLane,

    /// <summary>Softmax, variant 1 (one group per row).</summary>
    SoftmaxRowPerGroup,

    /// <summary>The mean cross-entropy, reduced on the device in one group.</summary>
    CrossEntropyLoss,

    /// <summary>The fused softmax + cross-entropy backward, variant 0.</summary>
    CrossEntropyBackwardRowPerLane,

    /// <summary>The fused softmax + cross-entropy backward, variant 1.</summary>
    CrossEntropyBackwardRowPerGroup,
}

/// <summary>
/// Softmax and cross-entropy on logits (N, classes) — the model's (N, 10), and (N, 1000) to show where one group per
/// row pays — on each accelerator, checked against float64 before timing. GB/s counts the logits read once, the
/// labels (4 bytes per row) for the losses, and the output written (N·classes floats, or one float for the loss);
/// GFLOP/s counts 4 per logit (subtract, exp, add, scale), exp as one.
/// </summary>
public class SoftmaxBenchmarks : IWorkload
{
    private Accelerator accelerator = null!;
    private MemoryBuffer<float> x = null!;
    private MemoryBuffer<float> y = null!;
    private MemoryBuffer<float> loss = null!;
    private ClassLabels labels = null!;

    /// <summary>Device id.</summary>
    [ParamsSource(nameof(Devices))]
    public string Device { get; set; } = "cpu";

    /// <summary>Batch size N.</summary>
    [Params(64, 256)]
    public int Batch { get; set; } = 64;

    /// <summary>Classes per row.</summary>
    [Params(10, 1000)]
    public int Classes { get; set; } = 10;

    /// <summary>The op and variant.</summary>
    [ParamsAllValues]
    public SoftmaxOp Op { get; set; }

    /// <summary>Devices found here.</summary>
    public static IEnumerable<string> Devices => DeviceParameter.All();

    private int Count => Batch * Classes;

    /// <inheritdoc />
    public double Flops => 4.0 * Count;

    /// <inheritdoc />
    public double Bytes => Op switch
    {
        SoftmaxOp.CrossEntropyLoss => 4.0 * Count + 4.0 * Batch + 4.0,
        SoftmaxOp.CrossEntropyBackwardRowPerLane or SoftmaxOp.CrossEntropyBackwardRowPerGroup => 8.0 * Count + 4.0 * Batch,
        _ => 8.0 * Count,
    };

    /// <summary>Allocates, runs the op once and checks it against float64.</summary>
    [GlobalSetup]
    public void Setup()
    {
        accelerator = Accelerators.Create(Device);
        var random = new Random(42);
        var hx = Enumerable.Range(0, Count).Select(_ => (float)(random.NextDouble() * 20 - 10)).ToArray();
        var hlabels = Enumerable.Range(0, Batch).Select(_ => random.Next(Classes)).ToArray();
        x = accelerator.Allocate(hx);
        y = accelerator.Allocate<float>(Count);
        loss = accelerator.Allocate<float>(1);
        labels = ClassLabels.Upload(accelerator, hlabels, Classes);
        y.Fill(float.NaN);
        loss.Fill(float.NaN);
        Run();
        accelerator.Synchronize();
        var xd = hx.Select(v => (double)v).ToArray();
        if (Op == SoftmaxOp.CrossEntropyLoss)
        {
            Verify.Close($"{Op} ({Batch}, {Classes}) on {Device}", [(0, SoftmaxReference.CrossEntropy(xd, hlabels, Batch, Classes))], loss.ToArray(), 1e-5, 1e-5);
            return;
        }
        var expected = Op is SoftmaxOp.SoftmaxRowPerLane or SoftmaxOp.SoftmaxRowPerGroup
            ? SoftmaxReference.Forward(xd, Batch, Classes)
            : SoftmaxReference.CrossEntropyBackward(xd, hlabels, Batch, Classes);
        var samples = Enumerable.Range(0, 4096).Select(_ => random.Next(Count)).Select(i => (i, expected[i])).ToList();
        Verify.Close($"{Op} ({Batch}, {Classes}) on {Device}", samples, y.ToArray(), 1e-6, 1e-4);
    }

    /// <summary>Frees the buffers and the accelerator.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        x.Dispose();
        y.Dispose();
        loss.Dispose();
        labels.Dispose();
        accelerator.Dispose();
    }

    /// <summary>One launch of the op.</summary>
    [Benchmark]
    public void Rows()
    {
        Run();
        accelerator.Synchronize();
    }

    private void Run()
    {
        switch (Op)
        {
            case SoftmaxOp.SoftmaxRowPerLane:
                Softmax.Forward(accelerator, x.View, y.View, Batch, Classes, variant: SoftmaxVariant.RowPerLane);
                break;
            case SoftmaxOp.SoftmaxRowPerGroup:
                Softmax.Forward(accelerator, x.View, y.View, Batch, Classes, variant: SoftmaxVariant.RowPerGroup);
                break;
            case SoftmaxOp.CrossEntropyLoss:
                CrossEntropy.Loss(accelerator, x.View, labels, loss.View, Batch, Classes);
                break;
            case SoftmaxOp.CrossEntropyBackwardRowPerLane:
                CrossEntropy.Backward(accelerator, x.View, labels, y.View, Batch, Classes, SoftmaxVariant.RowPerLane);
                break;
            default:
                CrossEntropy.Backward(accelerator, x.View, labels, y.View, Batch, Classes, SoftmaxVariant.RowPerGroup);
                break;
        }
    }
}
