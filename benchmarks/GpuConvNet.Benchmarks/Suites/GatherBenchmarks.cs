using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// Gathering a batch of 28×28 byte images (from 10,000 on the device, through a shuffled index buffer) into normalised
/// floats: variant 0 plain, variant 1 with random shifts of up to 2 pixels. Checked against the reference before
/// timing. Bytes: batch·784 image bytes + indices and labels read, batch·784 floats + labels written; 3 flops per pixel.
/// </summary>
public class GatherBenchmarks : DeviceBenchmark
{
    private const int Count = 10_000;
    private const int Side = 28;
    private static readonly RandomShift Shift = new(2, 7, 3);
    private MemoryBuffer<byte> images = null!;
    private MemoryBuffer<int> labels = null!;
    private MemoryBuffer<int> indices = null!;
    private MemoryBuffer<float> x = null!;
    private MemoryBuffer<int> y = null!;

    /// <summary>Batch n.</summary>
    [Params(64, 256)]
    public int Batch { get; set; }

    /// <inheritdoc />
    public override double Flops => 3.0 * Batch * Side * Side;

    /// <inheritdoc />
    public override double Bytes => (double)Batch * Side * Side * (1 + sizeof(float)) + 3.0 * Batch * sizeof(int);

    /// <summary>Allocates the dataset, runs both variants once and checks them against the reference.</summary>
    protected override void Prepare()
    {
        var random = new Random(42);
        var hostImages = new byte[Count * Side * Side];
        random.NextBytes(hostImages);
        var hostLabels = Enumerable.Range(0, Count).Select(_ => random.Next(10)).ToArray();
        var hostIndices = Enumerable.Range(0, Count).ToArray();
        random.Shuffle(hostIndices);
        images = Allocate(hostImages);
        labels = Allocate(hostLabels);
        indices = Allocate(hostIndices);
        x = Allocate<float>(Batch * Side * Side);
        y = Allocate<int>(Batch);
        foreach (var (name, run, shift) in new (string, Action, RandomShift?)[] { ("plain", Plain, null), ("shifted", Shifted, Shift) })
        {
            x.Fill(float.NaN);
            y.Fill(-1);
            run();
            var (expectedX, expectedY) = GatherReference.Gather(hostImages, hostLabels, hostIndices, Start, Batch, Side, Side, Normalization.Mnist, shift);
            Verify.Close($"gather {name} {Batch} on {Device}", expectedX.Select((value, i) => (i, value)).ToList(), x.ToArray(), 1e-6, 1e-6);
            if (!y.ToArray().SequenceEqual(expectedY))
            {
                throw new InvalidOperationException($"gather {name} {Batch} on {Device}: labels disagree with the reference; refusing to time it");
            }
        }
    }

    private int Start => Count - Batch - 17;

    /// <summary>Variant 0: plain gather and normalisation.</summary>
    [Benchmark(Baseline = true)]
    public void Plain()
    {
        Gather.Batch(Accelerator, images.View, labels.View, indices.View, x.View, y.View, Start, Batch, Side, Side, Normalization.Mnist);
        Accelerator.Synchronize();
    }

    /// <summary>Variant 1: with random shifts of up to 2 pixels.</summary>
    [Benchmark]
    public void Shifted()
    {
        Gather.Batch(Accelerator, images.View, labels.View, indices.View, x.View, y.View, Start, Batch, Side, Side, Normalization.Mnist, Shift);
        Accelerator.Synchronize();
    }
}
