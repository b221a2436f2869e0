using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// Argmax over 10 classes with the device correct count: variant 0 (an atomic per hit) and 1 (a group reduction, one
/// atomic per group). Checked exactly before timing. Bytes: logits and labels read, predictions written.
/// </summary>
public class AccuracyBenchmarks : DeviceBenchmark
{
    private const int Classes = 10;
    private MemoryBuffer<float> logits = null!;
    private MemoryBuffer<int> labels = null!;
    private MemoryBuffer<int> predictions = null!;
    private MemoryBuffer<int> correct = null!;

    /// <summary>Batch n.</summary>
    [Params(64, 256)]
    public int Batch { get; set; }

    /// <inheritdoc />
    public override double Flops => 0;

    /// <inheritdoc />
    public override double Bytes => ((double)Batch * Classes + 2.0 * Batch) * sizeof(float);

    /// <summary>Allocates, runs each variant once and checks predictions and count exactly.</summary>
    protected override void Prepare()
    {
        var random = new Random(42);
        var hostLogits = Enumerable.Range(0, Batch * Classes).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var hostLabels = Enumerable.Range(0, Batch).Select(_ => random.Next(Classes)).ToArray();
        logits = Allocate(hostLogits);
        labels = Allocate(hostLabels);
        predictions = Allocate<int>(Batch);
        correct = Allocate<int>(1);
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

    /// <summary>Variant 0: an atomic per correct prediction.</summary>
    [Benchmark(Baseline = true)]
    public void Atomic()
    {
        Accuracy.ArgmaxAndCount(Accelerator, logits.View, labels.View, predictions.View, correct.View, Batch, Classes, AccuracyVariant.Atomic);
        Accelerator.Synchronize();
    }

    /// <summary>Variant 1: a group reduction and one atomic per group.</summary>
    [Benchmark]
    public void GroupCount()
    {
        Accuracy.ArgmaxAndCount(Accelerator, logits.View, labels.View, predictions.View, correct.View, Batch, Classes, AccuracyVariant.GroupCount);
        Accelerator.Synchronize();
    }
}
