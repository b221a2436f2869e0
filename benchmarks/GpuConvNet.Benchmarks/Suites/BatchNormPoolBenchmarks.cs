using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// Batch norm + ReLU + 2×2 max pooling at the fast model's two blocks (n, 16, 28, 28) and (n, 32, 14, 14): the fused op
/// (<see cref="BatchNormPool"/>, variant 1) against the unfused chain it replaces (<see cref="BatchNorm"/> with its ReLU,
/// then <see cref="MaxPool"/>, variant 0), training forward and backward, in one run. Both checked against the float64
/// reference before timing. GB/s counts the fused op's compulsory traffic for both paths (x read, y written forward;
/// x and dy read, dx written backward), so the unfused chain's extra passes show as a lower figure.
/// </summary>
public class BatchNormPoolBenchmarks : DeviceBenchmark
{
    private MemoryBuffer<float> x = null!, y = null!, normalised = null!, xAtMax = null!, dy = null!, dx = null!, dPooled = null!;
    private MemoryBuffer<int> argmax = null!;
    private MemoryBuffer<float> gamma = null!, beta = null!, mean = null!, invStd = null!, runningMean = null!, runningVar = null!, scale = null!, shift = null!, dGamma = null!, dBeta = null!, coefficients = null!, partials = null!;

    /// <summary>Batch n.</summary>
    [Params(128)]
    public int Batch { get; set; } = 128;

    /// <summary>"block1" (n, 16, 28, 28) or "block2" (n, 32, 14, 14).</summary>
    [Params("block1", "block2")]
    public string At { get; set; } = "block1";

    /// <summary>"fused" (variant 1) or "unfused" (variant 0: batch norm with ReLU, then max pooling).</summary>
    [Params("fused", "unfused")]
    public string Path { get; set; } = "fused";

    /// <inheritdoc />
    public override double Flops => 0;

    /// <inheritdoc />
    public override double Bytes => 4.0 * (3 * Shape.Norm.Elements + 2 * Shape.PooledLength);

    // From the parameters alone: the columns read it from an instance that never ran its setup.
    private BatchNormPoolShape Shape => At == "block1" ? new BatchNormPoolShape(Batch, 16, 28, 28) : new BatchNormPoolShape(Batch, 32, 14, 14);

    /// <summary>Allocates, runs forward and backward once and checks them against float64.</summary>
    protected override void Prepare()
    {
        var shape = Shape;
        var random = new Random(3);
        float[] Host(long count, double low, double high) => [.. Enumerable.Range(0, (int)count).Select(_ => (float)(low + (high - low) * random.NextDouble()))];
        var hx = Host(shape.Norm.Elements, -1, 2);
        var hdy = Host(shape.PooledLength, -1, 1);
        var hGamma = Host(shape.Channels, 0.5, 1.5);
        var hBeta = Host(shape.Channels, -1, 1);
        x = Allocate(hx);
        dy = Allocate(hdy);
        gamma = Allocate(hGamma);
        beta = Allocate(hBeta);
        y = Allocate<float>((int)shape.PooledLength);
        argmax = Allocate<int>((int)shape.PooledLength);
        xAtMax = Allocate<float>((int)shape.PooledLength);
        normalised = Allocate<float>((int)shape.Norm.Elements);
        dPooled = Allocate<float>((int)shape.Norm.Elements);
        dx = Allocate<float>((int)shape.Norm.Elements);
        runningMean = Allocate(new float[shape.Channels]);
        runningVar = Allocate(Enumerable.Repeat(1f, shape.Channels).ToArray());
        (mean, invStd, scale, shift, dGamma, dBeta) = (Channel(), Channel(), Channel(), Channel(), Channel(), Channel());
        coefficients = Allocate<float>(3 * shape.Channels);
        partials = Allocate<float>(2 * shape.N * shape.Channels);
        Forward();
        Backward();
        static double[] D(float[] v) => [.. v.Select(f => (double)f)];
        var expected = BatchNormPoolReference.Training(D(hx), D(hGamma), D(hBeta), new double[shape.Channels], [.. Enumerable.Repeat(1.0, shape.Channels)], shape);
        var (dxExpected, _, _) = BatchNormPoolReference.Backward(D(hx), expected, D(hdy), D(hGamma), shape);
        Verify.Close($"batch norm + pool forward {At} {Path} on {Device}", expected.Y.Select((v, i) => (i, v)).ToList(), y.ToArray(), 1e-4, 1e-4);
        Verify.Close($"batch norm + pool backward {At} {Path} on {Device}", dxExpected.Select((v, i) => (i, v)).ToList(), dx.ToArray(), 1e-4, 1e-3);
    }

    private MemoryBuffer<float> Channel() => Allocate<float>(Shape.Channels);

    /// <summary>Training forward.</summary>
    [Benchmark]
    public void Forward()
    {
        var shape = Shape;
        if (Path == "fused")
        {
            BatchNormPool.ForwardTraining(Accelerator, shape, x.View, y.View, argmax.View, xAtMax.View, gamma.View, beta.View, mean.View, invStd.View,
                runningMean.View, runningVar.View, scale.View, shift.View, partials.View);
        }
        else
        {
            BatchNorm.ForwardTraining(Accelerator, shape.Norm, x.View, normalised.View, gamma.View, beta.View, mean.View, invStd.View, runningMean.View,
                runningVar.View, scale.View, shift.View, partials.View);
            MaxPool.Forward(Accelerator, normalised.View, y.View, argmax.View, shape.Pool);
        }
        Accelerator.Synchronize();
    }

    /// <summary>Training backward.</summary>
    [Benchmark]
    public void Backward()
    {
        var shape = Shape;
        if (Path == "fused")
        {
            BatchNormPool.Backward(Accelerator, shape, x.View, y.View, argmax.View, xAtMax.View, dy.View, dx.View, gamma.View, mean.View, invStd.View,
                dGamma.View, dBeta.View, coefficients.View, partials.View);
        }
        else
        {
            MaxPool.Backward(Accelerator, dy.View, argmax.View, dPooled.View, shape.Pool);
            BatchNorm.Backward(Accelerator, shape.Norm, x.View, normalised.View, dPooled.View, dx.View, gamma.View, mean.View, invStd.View, dGamma.View,
                dBeta.View, coefficients.View, partials.View);
        }
        Accelerator.Synchronize();
    }
}
