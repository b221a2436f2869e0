using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Per-device choice between batch norm's two ways of taking its per-channel sums — variant 0, a lane per channel
/// (vectorised along the planes on CPUs), and variant 1, a lane per image and channel into partials (the parallelism a
/// GPU needs) — through <see cref="KernelTuning"/>: a training forward and backward of the first batch norm of `fast`
/// (128 images, 16 channels of 28×28, fused ReLU) with each, three races of two rounds each, ranked by median, the first
/// time a device normalises. Engines that do not compile device code keep the rule by device type
/// (<see cref="BatchNorm.Resolve"/>).
/// </summary>
public static class BatchNormTuning
{
    /// <summary>The batch norm measured.</summary>
    public static readonly BatchNormShape Shape = new(128, 16, 28 * 28, Relu: true);

    /// <summary>The name rankings are kept under (file <c>batchnorm-….txt</c> in <see cref="KernelTuning.CacheDirectory"/>).</summary>
    public const string Op = "batchnorm";

    /// <summary>The variants ranked.</summary>
    public static IReadOnlyList<BatchNormVariant> Candidates { get; } = [BatchNormVariant.PerChannel, BatchNormVariant.PerImage];

    /// <summary>The faster variant on <paramref name="accelerator"/>'s device.</summary>
    public static BatchNormVariant Fastest(Accelerator accelerator) => KernelTuning.Ranking(accelerator, Op, Candidates, Rates)[0];

    /// <summary>Measures the device again, keeps the new ranking and returns the measurement (for <c>gpuconvnet tune</c>).</summary>
    public static TuningResult<BatchNormVariant> Tune(Accelerator accelerator) => KernelTuning.Tune(accelerator, Op, Rates);

    /// <summary>
    /// GB/s of each of the <see cref="Candidates"/> on <paramref name="accelerator"/> for a training forward and backward of
    /// <see cref="Shape"/>, counting the 10 passes over an (n, channels, space) tensor the two make (forward: x twice,
    /// y; backward: y and dy for the ReLU mask, x and dy for the sums, x, dy and dx for the input gradient).
    /// </summary>
    public static IReadOnlyDictionary<BatchNormVariant, double> Rates(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        var random = new Random(1);
        int elements = (int)Shape.Elements, channels = Shape.Channels;
        using var x = accelerator.Allocate(Enumerable.Range(0, elements).Select(_ => (float)random.NextDouble() - 0.5f).ToArray());
        using var dy = accelerator.Allocate(Enumerable.Range(0, elements).Select(_ => (float)random.NextDouble() - 0.5f).ToArray());
        using var y = accelerator.Allocate<float>(elements);
        using var dx = accelerator.Allocate<float>(elements);
        using var perChannel = accelerator.Allocate<float>(10 * channels);
        using var partials = accelerator.Allocate<float>(2 * Shape.N * channels);
        perChannel.Fill(1f);
        ArrayView<float> Slot(int i) => perChannel.View.SubView(i * channels, channels);
        void ForwardAndBackward(BatchNormVariant variant)
        {
            // gamma, beta, mean, invStd, running mean and variance, scale, shift; then dGamma, dBeta; the coefficients reuse 6–8.
            BatchNorm.ForwardTraining(accelerator, Shape, x.View, y.View, Slot(0), Slot(1), Slot(2), Slot(3), Slot(4), Slot(5), Slot(6), Slot(7),
                partials.View, variant);
            BatchNorm.Backward(accelerator, Shape, x.View, y.View, dy.View, dx.View, Slot(0), Slot(2), Slot(3), Slot(8), Slot(9),
                perChannel.View.SubView(4 * channels, 3 * channels), partials.View, variant);
        }
        var seconds = KernelTuning.Race(accelerator, Candidates.Select(variant => (variant, (Action)(() => ForwardAndBackward(variant)))).ToList());
        return seconds.ToDictionary(s => s.Key, s => 10.0 * 4 * elements / s.Value / 1e9);
    }
}
