using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// Bias gradient db[c] = Σ_n Σ_s dy[n, c, s] at the cnn model's shapes: its dense layer (n, 128) and a convolution's
/// (n, 32, 26·26), with variant 0 (lane per channel), 1 (group per channel, shared-memory tree) and 2 (lane per
/// channel, sixteen partial sums along the plane). Checked against float64 before timing. n·C·S adds; bytes: dy read
/// once, db written once.
/// </summary>
public class BiasGradientBenchmarks : DeviceBenchmark
{
    private MemoryBuffer<float> dy = null!;
    private MemoryBuffer<float> db = null!;

    /// <summary>Batch n.</summary>
    [Params(64, 256)]
    public int Batch { get; set; }

    /// <summary>"dense" (n, 128) or "conv" (n, 32, 26, 26).</summary>
    [Params("dense", "conv")]
    public string Shape { get; set; } = "dense";

    private int Channels => Shape == "dense" ? 128 : 32;

    private int Space => Shape == "dense" ? 1 : 26 * 26;

    /// <inheritdoc />
    public override double Flops => (double)Batch * Channels * Space;

    /// <inheritdoc />
    public override double Bytes => ((double)Batch * Channels * Space + Channels) * sizeof(float);

    /// <summary>Allocates, runs each variant once and checks it against float64.</summary>
    protected override void Prepare()
    {
        var random = new Random(42);
        var host = Enumerable.Range(0, Batch * Channels * Space).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        dy = Allocate(host);
        db = Allocate<float>(Channels);
        var expected = BiasGradientReference.SumOverBatchAndSpace(host, Batch, Channels, Space).Select((v, i) => (i, v)).ToList();
        foreach (var (name, run) in new (string, Action)[] { ("per channel", PerChannel), ("group per channel", GroupPerChannel) })
        {
            db.Fill(float.NaN);
            run();
            Verify.Close($"bias gradient {name} ({Batch}, {Channels}, {Space}) on {Device}", expected, db.ToArray(), 1e-6 * Batch * Space, 1e-5);
        }
    }

    /// <summary>Variant 0: one lane per channel.</summary>
    [Benchmark(Baseline = true)]
    public void PerChannel()
    {
        BiasGradient.SumOverBatchAndSpace(Accelerator, dy.View, db.View, Batch, Channels, Space, BiasGradientVariant.PerChannel);
        Accelerator.Synchronize();
    }

    /// <summary>Variant 2: one lane per channel, sixteen partial sums along the plane.</summary>
    [Benchmark]
    public void PlaneBlocked()
    {
        BiasGradient.SumOverBatchAndSpace(Accelerator, dy.View, db.View, Batch, Channels, Space, BiasGradientVariant.PlaneBlocked);
        Accelerator.Synchronize();
    }

    /// <summary>Variant 1: one group per channel.</summary>
    [Benchmark]
    public void GroupPerChannel()
    {
        BiasGradient.SumOverBatchAndSpace(Accelerator, dy.View, db.View, Batch, Channels, Space, BiasGradientVariant.GroupPerChannel);
        Accelerator.Synchronize();
    }
}
