using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// Batch normalisation at the fast model's shapes: after its first convolution (n, 16, 28·28) and its second
/// (n, 32, 14·14), training forward (statistics, scale/shift, apply) and backward (sums, input gradient), variant 0.
/// Checked against float64 before timing. GB/s counts the compulsory traffic: forward reads x twice for the two-pass
/// statistics and once to apply, writes y; backward reads x and dy twice and writes dx.
/// </summary>
public class BatchNormBenchmarks : DeviceBenchmark
{
    private MemoryBuffer<float> x = null!, y = null!, dy = null!, dx = null!;
    private MemoryBuffer<float> gamma = null!, beta = null!, mean = null!, invStd = null!, runningMean = null!, runningVar = null!, scale = null!, shift = null!, dGamma = null!, dBeta = null!, coefficients = null!, partials = null!;

    /// <summary>Batch n.</summary>
    [Params(128)]
    public int Batch { get; set; } = 128;

    /// <summary>"conv1" (n, 16, 28·28) or "conv2" (n, 32, 14·14).</summary>
    [Params("conv1", "conv2")]
    public string At { get; set; } = "conv1";

    /// <summary>How the per-channel sums are taken: a lane per channel (0) or per image and channel (1).</summary>
    [Params(BatchNormVariant.PerChannel, BatchNormVariant.PerImage)]
    public BatchNormVariant Variant { get; set; } = BatchNormVariant.PerChannel;

    /// <inheritdoc />
    public override double Flops => 0;

    /// <inheritdoc />
    public override double Bytes => 4.0 * 4 * Shape.Elements;

    // From the parameters alone: the columns read it from an instance that never ran its setup.
    private BatchNormShape Shape => At == "conv1" ? new BatchNormShape(Batch, 16, 28 * 28) : new BatchNormShape(Batch, 32, 14 * 14);

    /// <summary>Allocates, runs forward and backward once and checks them against float64.</summary>
    protected override void Prepare()
    {
        var shape = Shape;
        var random = new Random(3);
        float[] Host(long count, double low, double high) => [.. Enumerable.Range(0, (int)count).Select(_ => (float)(low + (high - low) * random.NextDouble()))];
        var hx = Host(shape.Elements, -1, 2);
        var hdy = Host(shape.Elements, -1, 1);
        var hGamma = Host(shape.Channels, 0.5, 1.5);
        var hBeta = Host(shape.Channels, -1, 1);
        x = Allocate(hx);
        dy = Allocate(hdy);
        gamma = Allocate(hGamma);
        beta = Allocate(hBeta);
        y = Allocate<float>((int)shape.Elements);
        dx = Allocate<float>((int)shape.Elements);
        runningMean = Allocate(new float[shape.Channels]);
        runningVar = Allocate(Enumerable.Repeat(1f, shape.Channels).ToArray());
        (mean, invStd, scale, shift, dGamma, dBeta) = (Channel(), Channel(), Channel(), Channel(), Channel(), Channel());
        coefficients = Allocate<float>(3 * shape.Channels);
        partials = Allocate<float>(2 * shape.N * shape.Channels);
        Forward();
        Backward();
        static double[] D(float[] v) => [.. v.Select(f => (double)f)];
        var expected = BatchNormReference.Training(D(hx), D(hGamma), D(hBeta), new double[shape.Channels], [.. Enumerable.Repeat(1.0, shape.Channels)], shape);
        var (dxExpected, _, _) = BatchNormReference.Backward(D(hx), expected.Y, D(hdy), D(hGamma), expected.Mean, expected.InvStd, shape);
        Verify.Close($"batch norm forward {At} on {Device}", expected.Y.Select((v, i) => (i, v)).ToList(), y.ToArray(), 1e-4, 1e-4);
        Verify.Close($"batch norm backward {At} on {Device}", dxExpected.Select((v, i) => (i, v)).ToList(), dx.ToArray(), 1e-4, 1e-3);
    }

    private MemoryBuffer<float> Channel() => Allocate<float>(Shape.Channels);

    /// <summary>Training forward.</summary>
    [Benchmark]
    public void Forward()
    {
        BatchNorm.ForwardTraining(Accelerator, Shape, x.View, y.View, gamma.View, beta.View, mean.View, invStd.View, runningMean.View, runningVar.View, scale.View, shift.View, partials.View, Variant);
        Accelerator.Synchronize();
    }

    /// <summary>Training backward.</summary>
    [Benchmark]
    public void Backward()
    {
        BatchNorm.Backward(Accelerator, Shape, x.View, y.View, dy.View, dx.View, gamma.View, mean.View, invStd.View, dGamma.View, dBeta.View, coefficients.View, partials.View, Variant);
        Accelerator.Synchronize();
    }
}
