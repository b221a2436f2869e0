using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Per-device choice between the direct convolution's forward kernels on CPUs — variant 2, 16 output channels per lane
/// (256 accumulators: 16 AVX-512 registers, or 32 of 8 floats), and variant 3, 8 channels (half: what 16 AVX2
/// registers hold) — through <see cref="KernelTuning"/>: the forward of a 32-image, 32→64-channel 3×3 layer on 14×14
/// (pad 1, 0.23 GFLOP) with each, three races of two rounds each (taking turns, after a warm-up), ranked by median, the first time a device convolves.
/// </summary>
public static class Conv2DTuning
{
    /// <summary>The layer measured.</summary>
    public static readonly Conv2DShape Shape = new(32, 32, 14, 14, 64, 3, 3, 1, 1);

    /// <summary>The name rankings are kept under (file <c>conv2d-….txt</c> in <see cref="KernelTuning.CacheDirectory"/>).</summary>
    public const string Op = "conv2d";

    /// <summary>The algorithms ranked.</summary>
    public static IReadOnlyList<Conv2DAlgorithm> Candidates { get; } = [Conv2DAlgorithm.Direct, Conv2DAlgorithm.Direct8];

    /// <summary>The faster direct forward on <paramref name="accelerator"/>'s device.</summary>
    public static Conv2DAlgorithm Fastest(Accelerator accelerator) => KernelTuning.Ranking(accelerator, Op, Candidates, Rates)[0];

    /// <summary>Measures the device again and keeps the new ranking.</summary>
    public static IReadOnlyList<Conv2DAlgorithm> Remeasure(Accelerator accelerator) => KernelTuning.Remeasure(accelerator, Op, Rates);

    /// <summary>Measures the device again, keeps the new ranking and returns the measurement (for <c>gpuconvnet tune</c>).</summary>
    public static TuningResult<Conv2DAlgorithm> Tune(Accelerator accelerator) => KernelTuning.Tune(accelerator, Op, Rates);

    /// <summary>GFLOP/s of each of the <see cref="Candidates"/> on <paramref name="accelerator"/> for the forward of <see cref="Shape"/>.</summary>
    public static IReadOnlyDictionary<Conv2DAlgorithm, double> Rates(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        var random = new Random(1);
        using var x = accelerator.Allocate(Enumerable.Range(0, (int)Shape.XLength).Select(_ => (float)random.NextDouble()).ToArray());
        using var weights = accelerator.Allocate(Enumerable.Range(0, (int)Shape.WeightsLength).Select(_ => (float)random.NextDouble()).ToArray());
        using var y = accelerator.Allocate<float>((int)Shape.YLength);
        using var workspace = new Conv2DWorkspace(accelerator);
        foreach (var algorithm in Candidates)
        {
            workspace.Reserve(Shape, algorithm);
        }
        var seconds = KernelTuning.Race(accelerator, Candidates.Select(algorithm => (algorithm, (Action)(() =>
            Conv2D.Forward(accelerator, Shape, x.View, weights.View, default, y.View, workspace, algorithm: algorithm)))).ToList());
        return seconds.ToDictionary(s => s.Key, s => Shape.Flops / s.Value / 1e9);
    }
}
