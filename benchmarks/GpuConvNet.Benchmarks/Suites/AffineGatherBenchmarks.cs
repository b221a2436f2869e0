using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// Gathering a batch of 28×28 byte images (from 10,000 on the device, through a shuffled index buffer) under random
/// rotations of up to 10°, scales of ±10 % and shifts of up to 2 pixels, read bilinearly: the augmentation of
/// <c>cnn-best</c>, beside the plain gather it replaces. Checked against the reference before timing. Bytes: batch·784
/// floats written, up to four image bytes read per pixel (mostly from cache), indices and labels; about 40 flops per pixel.
/// <see cref="Elastic"/> adds an elastic distortion (α 34, σ 4: MNIST's usual) in the same resampling: the field's three
/// launches (noise, then 25 taps along rows and 25 along columns per field value; <see cref="Field"/> alone) and the
/// gather's two field reads per pixel, 40 bytes more per pixel written and read (noise, row pass and field, mostly from cache).
/// </summary>
public class AffineGatherBenchmarks : DeviceBenchmark
{
    private const int Count = 10_000;
    private const int Side = 28;
    private static readonly RandomAffine Transform = new(10f, 0.1f, 2f, 7, 3);
    private static readonly ElasticDistortion Distortion = new(34f, 4f);
    private MemoryBuffer<byte> images = null!;
    private MemoryBuffer<int> labels = null!;
    private MemoryBuffer<int> indices = null!;
    private MemoryBuffer<float> x = null!;
    private MemoryBuffer<int> y = null!;
    private MemoryBuffer<float> taps = null!;
    private MemoryBuffer<float> rows = null!;
    private MemoryBuffer<float> field = null!;

    /// <summary>Batch n.</summary>
    [Params(64, 128, 256)]
    public int Batch { get; set; }

    /// <inheritdoc />
    public override double Flops => 40.0 * Batch * Side * Side;

    /// <inheritdoc />
    public override double Bytes => (double)Batch * Side * Side * (1 + sizeof(float)) + 3.0 * Batch * sizeof(int);

    /// <summary>Allocates the dataset, runs the kernel once and checks it against the reference.</summary>
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
        x.Fill(float.NaN);
        y.Fill(-1);
        taps = Allocate(Kernels.Elastic.Taps(Distortion.Sigma));
        rows = Allocate<float>(2 * Batch * Side * Side);
        field = Allocate<float>(2 * Batch * Side * Side);
        Affine();
        Check("affine gather", AffineGatherReference.Gather(hostImages, hostLabels, hostIndices, Start, Batch, Side, Side, Normalization.Mnist, Transform));
        x.Fill(float.NaN);
        y.Fill(-1);
        Elastic();
        var displacement = field.ToArray();
        Verify.Close($"elastic field {Batch} on {Device}", ElasticReference.Field(Batch, Side, Side, Distortion, Transform.Seed, Transform.Step)
            .Select((value, i) => (i, value)).ToList(), displacement, 1e-5 * Distortion.Alpha, 1e-5);
        Check("elastic gather", AffineGatherReference.Gather(hostImages, hostLabels, hostIndices, Start, Batch, Side, Side, Normalization.Mnist, Transform,
            Array.ConvertAll(displacement, v => (double)v)));
    }

    private void Check(string what, (double[] X, int[] Y) expected)
    {
        Verify.Close($"{what} {Batch} on {Device}", expected.X.Select((value, i) => (i, value)).ToList(), x.ToArray(), 2e-4, 2e-4);
        if (!y.ToArray().SequenceEqual(expected.Y))
        {
            throw new InvalidOperationException($"{what} {Batch} on {Device}: labels disagree with the reference; refusing to time it");
        }
    }

    private int Start => Count - Batch - 17;

    /// <summary>The plain gather, for scale.</summary>
    [Benchmark(Baseline = true)]
    public void Plain()
    {
        Gather.Batch(Accelerator, images.View, labels.View, indices.View, x.View, y.View, Start, Batch, Side, Side, Normalization.Mnist);
        Accelerator.Synchronize();
    }

    /// <summary>The random affine gather.</summary>
    [Benchmark]
    public void Affine()
    {
        AffineGather.Batch(Accelerator, images.View, labels.View, indices.View, x.View, y.View, Start, Batch, Side, Side, Normalization.Mnist, Transform);
        Accelerator.Synchronize();
    }

    /// <summary>The elastic distortion's field alone: its two launches.</summary>
    [Benchmark]
    public void Field()
    {
        Kernels.Elastic.Field(Accelerator, taps.View, rows.View, field.View, Batch, Side, Side, Distortion, Transform.Seed, Transform.Step);
        Accelerator.Synchronize();
    }

    /// <summary>The random affine gather with an elastic distortion: the field (two launches), then the displaced gather.</summary>
    [Benchmark]
    public void Elastic()
    {
        Kernels.Elastic.Field(Accelerator, taps.View, rows.View, field.View, Batch, Side, Side, Distortion, Transform.Seed, Transform.Step);
        AffineGather.Batch(Accelerator, images.View, labels.View, indices.View, x.View, y.View, Start, Batch, Side, Side, Normalization.Mnist, Transform,
            field.View);
        Accelerator.Synchronize();
    }
}
