using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// Binary cross-entropy of the sigmoid-output model (`mlp-small`: N × 10 probabilities): the mean loss, reduced on the
/// device in one group, and the fused sigmoid + BCE backward, on each accelerator; checked against float64 before
/// timing. GB/s counts p (or z) and t read once and the output written; GFLOP/s counts 4 per element.
/// </summary>
public class BinaryCrossEntropyBenchmarks : DeviceBenchmark
{
    private MemoryBuffer<float> z = null!;
    private MemoryBuffer<float> p = null!;
    private MemoryBuffer<float> t = null!;
    private MemoryBuffer<float> loss = null!;
    private MemoryBuffer<float> dz = null!;

    /// <summary>Rows (batch size N) of 10 outputs.</summary>
    [Params(64, 1000)]
    public int Batch { get; set; } = 64;

    private int Count => Batch * 10;

    /// <inheritdoc />
    public override double Flops => 4.0 * Count;

    /// <inheritdoc />
    public override double Bytes => 8.0 * Count;

    /// <summary>Allocates, runs both passes once and checks them against float64.</summary>
    protected override void Prepare()
    {
        var random = new Random(42);
        var hz = Enumerable.Range(0, Count).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray();
        var hp = hz.Select(v => 1f / (1f + MathF.Exp(-v))).ToArray();
        var ht = Enumerable.Range(0, Count).Select(_ => random.Next(2) == 0 ? 0f : 1f).ToArray();
        z = Allocate(hz);
        p = Allocate(hp);
        t = Allocate(ht);
        loss = Allocate<float>(1);
        dz = Allocate<float>(Count);
        loss.Fill(float.NaN);
        dz.Fill(float.NaN);
        Loss();
        Backward();
        var pd = hp.Select(v => (double)v).ToArray();
        var zd = hz.Select(v => (double)v).ToArray();
        var td = ht.Select(v => (double)v).ToArray();
        Verify.Close($"BinaryCrossEntropy loss ({Batch}) on {Device}", [(0, BinaryCrossEntropyReference.Loss(pd, td))], loss.ToArray(), 1e-5, 1e-5);
        var expected = BinaryCrossEntropyReference.SigmoidBackward(zd, td);
        Verify.Close($"BinaryCrossEntropy sigmoid backward ({Batch}) on {Device}", expected.Select((e, i) => (i, e)).ToList(), dz.ToArray(), 1e-6, 1e-5);
    }

    /// <summary>The mean loss, reduced on the device.</summary>
    [Benchmark]
    public void Loss()
    {
        BinaryCrossEntropy.Loss(Accelerator, p.View, t.View, loss.View);
        Accelerator.Synchronize();
    }

    /// <summary>The fused sigmoid + BCE backward with respect to the logits.</summary>
    [Benchmark]
    public void Backward()
    {
        BinaryCrossEntropy.BackwardFromLogits(Accelerator, z.View, t.View, dz.View);
        Accelerator.Synchronize();
    }
}
