using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// Argmax over 10 classes with the device correct count: variant 0 (an atomic per hit) and 1 (a group reduction, one
/// atomic per group). Checked exactly before timing. Bytes: logits and labels read, predictions written.
/// </summary>
public class AccuracyBenchmarks : IWorkload
{
    private const int Classes = 10;
    private Accelerator accelerator = null!;
    private MemoryBuffer<float> logits = null!;
    private MemoryBuffer<int> labels = null!;
    private MemoryBuffer<int> predictions = null!;
    private MemoryBuffer<int> correct = null!;

    /// <summary>Device id.</summary>
    [ParamsSource(nameof(Devices))]
    public string Device { get; set; } = "cpu";

    /// <summary>Batch n.</summary>
    [Params(64, 256)]
    public int Batch { get; set; }

    /// <summary>Devices found here.</summary>
    public static IEnumerable<string> Devices => DeviceParameter.All();

    /// <inheritdoc />
    public double Flops => 0;

    /// <inheritdoc />
    public double Bytes => ((double)Batch * Classes + 2.0 * Batch) * sizeof(float);

    /// <summary>Allocates, runs each variant once and checks predictions and count exactly.</summary>
    [GlobalSetup]
    public void Setup()
    {
        accelerator = Accelerators.Create(Device);
        var random = new Random(42);
        var hostLogits = Enumerable.Range(0, Batch * Classes).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var hostLabels = Enumerable.Range(0, Batch).Select(_ => random.Next(Classes)).ToArray();
        logits = accelerator.Allocate(hostLogits);
        labels = accelerator.Allocate(hostLabels);
        predictions = accelerator.Allocate<int>(Batch);
        correct = accelerator.Allocate<int>(1);
        var (expected, expectedCorrect) = AccuracyReference.ArgmaxAndCount(hostLogits, hostLabels, Batch, Classes);
        foreach (var (name, run) in new (string, Action)[] { ("atomic", Atomic), ("group count", GroupCount) })
        {
            predictions.Fill(-1);
            correct.Fill(0);
            run();
            if (!predictions.ToArray().SequenceEqual(expected) || correct.ToArray()[0] != expectedCorrect)
            {
                throw new InvalidOperationException($"argmax {name} ({Batch}, {Classes}) on {Device} disagrees with the reference; refusing to time it");
            }
        }
    }

    /// <summary>Frees the buffers and the accelerator.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        logits.Dispose();
        labels.Dispose();
        predictions.Dispose();
        correct.Dispose();
        accelerator.Dispose();
    }

    /// <summary>Variant 0: an atomic per correct prediction.</summary>
    [Benchmark(Baseline = true)]
    public void Atomic()
    {
        Accuracy.ArgmaxAndCount(accelerator, logits.View, labels.View, predictions.View, correct.View, Batch, Classes, AccuracyVariant.Atomic);
        accelerator.Synchronize();
    }

    /// <summary>Variant 1: a group reduction and one atomic per group.</summary>
    [Benchmark]
    public void GroupCount()
    {
        Accuracy.ArgmaxAndCount(accelerator, logits.View, labels.View, predictions.View, correct.View, Batch, Classes, AccuracyVariant.GroupCount);
        accelerator.Synchronize();
    }
}
