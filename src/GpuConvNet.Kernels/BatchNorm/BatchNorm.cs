using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// The shape of a batch normalisation: x is (<paramref name="N"/>, <paramref name="Channels"/>, <paramref name="Space"/>)
/// row-major (BatchNorm2d: NCHW with Space = H·W; BatchNorm1d: (N, features) with Space = 1).
/// </summary>
/// <param name="N">Batch.</param>
/// <param name="Channels">Channels (or features); one mean, variance, gamma and beta each.</param>
/// <param name="Space">Elements per channel and image.</param>
/// <param name="Eps">Added to the variance (PyTorch's default 1e-5).</param>
/// <param name="Momentum">Weight of the batch in the running statistics (PyTorch's default 0.1).</param>
/// <param name="Relu">A ReLU after the normalisation, fused into its passes (forward and backward).</param>
public sealed record BatchNormShape(int N, int Channels, int Space, float Eps = 1e-5f, float Momentum = 0.1f, bool Relu = false)
{
    /// <summary>Elements of x.</summary>
    public long Elements => (long)N * Channels * Space;

    /// <summary>Values each channel's statistics are taken over.</summary>
    public int Count => N * Space;
}

/// <summary>How the per-channel sums of <see cref="BatchNorm"/> are taken (statistics forward, gradient sums backward).</summary>
public enum BatchNormVariant
{
    /// <summary>The faster on the device (<see cref="BatchNormTuning"/>) when a partials workspace is given, else <see cref="PerChannel"/>.</summary>
    Auto,

    /// <summary>Variant 0: a lane per channel walks the channel's planes (vectorised on CPUs; channels lanes in all).</summary>
    PerChannel,

    /// <summary>
    /// Variant 1: a lane per image and channel sums one plane into a partials workspace (2·n·channels floats), then a
    /// lane per channel adds them up: n·channels lanes, what a GPU needs. On PoCL no faster than variant 0 (kernels.md).
    /// </summary>
    PerImage,
}

/// <summary>
/// Batch normalisation (PyTorch's BatchNorm1d/2d): y = gamma·(x − mean)/√(var + eps) + beta per channel, with the batch's
/// statistics in training (and the running ones moved towards them) and the running ones in inference; the backward
/// gives dx through the batch's statistics, dGamma and dBeta. All asynchronous like any launch.
/// </summary>
public static class BatchNorm
{
    private const string Op = "BatchNorm";

    /// <summary>
    /// Training forward. Writes y, the batch's mean and invStd = 1/√(var + eps) (kept for <see cref="Backward"/>), and
    /// updates runningMean and runningVar; scale and shift (channels each) are workspace, and so is
    /// <paramref name="partials"/> (2·n·channels floats), which <see cref="BatchNormVariant.PerImage"/> needs.
    /// </summary>
    public static void ForwardTraining(Accelerator accelerator, BatchNormShape shape, ArrayView<float> x, ArrayView<float> y,
        ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> runningMean,
        ArrayView<float> runningVar, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> partials = default,
        BatchNormVariant variant = BatchNormVariant.Auto)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        Check(shape, [("x", x), ("y", y)], [("gamma", gamma), ("beta", beta), ("mean", mean), ("invStd", invStd), ("runningMean", runningMean),
            ("runningVar", runningVar), ("scale", scale), ("shift", shift)]);
        LaunchTrainingScaleShift(accelerator, shape, x, gamma, beta, mean, invStd, runningMean, runningVar, scale, shift, partials, variant);
        accelerator.Launch(BatchNormKernels.Apply, Elements(shape), x, y, scale, shift, shape.Channels, shape.Space, shape.Relu ? 1 : 0);
    }

    /// <summary>
    /// The batch's statistics (mean, invStd, the running ones moved) and the affine map scale, shift they give: what
    /// <see cref="ForwardTraining"/> launches before it applies the map, and what <see cref="BatchNormPool"/> applies
    /// inside its pooling. Arguments checked by the caller.
    /// </summary>
    internal static void LaunchTrainingScaleShift(Accelerator accelerator, BatchNormShape shape, ArrayView<float> x, ArrayView<float> gamma,
        ArrayView<float> beta, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> runningMean, ArrayView<float> runningVar,
        ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> partials, BatchNormVariant variant)
    {
        var channels = new Index1D(shape.Channels);
        if (Resolve(accelerator, shape, partials, variant) == BatchNormVariant.PerImage)
        {
            accelerator.Launch(BatchNormKernels.StatisticsPartials, new Index2D(shape.N, shape.Channels), x, partials, shape.N, shape.Channels, shape.Space);
            accelerator.Launch(BatchNormKernels.StatisticsCombine, channels, x, partials, mean, invStd, runningMean, runningVar, shape.N, shape.Channels,
                shape.Space, shape.Eps, shape.Momentum);
        }
        else
        {
            accelerator.Launch(BatchNormKernels.Statistics, channels, x, mean, invStd, runningMean, runningVar, shape.N, shape.Channels, shape.Space,
                shape.Eps, shape.Momentum);
        }
        accelerator.Launch(BatchNormKernels.TrainingScaleShift, channels, gamma, beta, mean, invStd, scale, shift);
    }

    /// <summary>Inference forward from the running statistics; scale and shift (channels each) are workspace.</summary>
    public static void ForwardInference(Accelerator accelerator, BatchNormShape shape, ArrayView<float> x, ArrayView<float> y,
        ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> runningMean, ArrayView<float> runningVar, ArrayView<float> scale, ArrayView<float> shift)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        Check(shape, [("x", x), ("y", y)], [("gamma", gamma), ("beta", beta), ("runningMean", runningMean), ("runningVar", runningVar),
            ("scale", scale), ("shift", shift)]);
        accelerator.Launch(BatchNormKernels.InferenceScaleShift, new Index1D(shape.Channels), gamma, beta, runningMean, runningVar, scale, shift, shape.Eps);
        accelerator.Launch(BatchNormKernels.Apply, Elements(shape), x, y, scale, shift, shape.Channels, shape.Space, shape.Relu ? 1 : 0);
    }

    /// <summary>
    /// Training backward: dGamma, dBeta (overwritten) and dx (through <paramref name="coefficients"/>, a (3, channels)
    /// workspace) from x, the forward's output y (read only with a fused
    /// ReLU: dy is first zeroed where y was cut, into dx, and the rest works on that), dy and the mean and invStd of
    /// <see cref="ForwardTraining"/>. dx may not alias x or y. (Masking inside the sums, instead, stopped PoCL
    /// vectorising them: backward took 26–29 % longer.)
    /// </summary>
    public static void Backward(Accelerator accelerator, BatchNormShape shape, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx,
        ArrayView<float> gamma, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> dGamma, ArrayView<float> dBeta, ArrayView<float> coefficients,
        ArrayView<float> partials = default, BatchNormVariant variant = BatchNormVariant.Auto)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        Check(shape, [("x", x), ("y", y), ("dy", dy), ("dx", dx)], [("gamma", gamma), ("mean", mean), ("invStd", invStd), ("dGamma", dGamma), ("dBeta", dBeta)]);
        ShapeCheck.Length(Op, "coefficients", coefficients.Length, 3L * shape.Channels, $"coefficients (3, {shape.Channels})");
        if (shape.Relu)
        {
            Activation.ReluBackward(accelerator, y, dy, dx);
            dy = dx;
        }
        if (Resolve(accelerator, shape, partials, variant) == BatchNormVariant.PerImage)
        {
            accelerator.Launch(BatchNormKernels.GradientPartials, new Index2D(shape.N, shape.Channels), x, dy, mean, partials, shape.N, shape.Channels, shape.Space);
            accelerator.Launch(BatchNormKernels.GradientCombine, new Index1D(shape.Channels), partials, invStd, dGamma, dBeta, shape.N);
        }
        else
        {
            accelerator.Launch(BatchNormKernels.GradientSums, new Index1D(shape.Channels), x, dy, mean, invStd, dGamma, dBeta, shape.N, shape.Channels, shape.Space);
        }
        LaunchInputGradientCoefficients(accelerator, shape, gamma, mean, invStd, dGamma, dBeta, coefficients);
        accelerator.Launch(BatchNormKernels.InputGradient, Elements(shape), x, dy, dx, coefficients, shape.Channels, shape.Space);
    }

    /// <summary>
    /// dx's per-channel affine map (a, b, d of <see cref="BatchNormKernels.InputGradientCoefficients"/>) from dGamma and
    /// dBeta: what <see cref="Backward"/> launches before its input gradient, and <see cref="BatchNormPool"/> before its own.
    /// </summary>
    internal static void LaunchInputGradientCoefficients(Accelerator accelerator, BatchNormShape shape, ArrayView<float> gamma, ArrayView<float> mean,
        ArrayView<float> invStd, ArrayView<float> dGamma, ArrayView<float> dBeta, ArrayView<float> coefficients) =>
        accelerator.Launch(BatchNormKernels.InputGradientCoefficients, new Index1D(shape.Channels), gamma, mean, invStd, dGamma, dBeta, coefficients,
            shape.Channels, (float)shape.Count);

    /// <summary>
    /// The variant <paramref name="variant"/> means here: <see cref="BatchNormVariant.Auto"/>, when there are planes to
    /// split (space ≥ 2) and a partials workspace, takes the variant <see cref="BatchNormTuning"/> measured faster on the
    /// device where the engine compiles device code, and otherwise <see cref="BatchNormVariant.PerImage"/> on GPUs;
    /// <see cref="BatchNormVariant.PerChannel"/> in every other case.
    /// </summary>
    public static BatchNormVariant Resolve(Accelerator accelerator, BatchNormShape shape, ArrayView<float> partials, BatchNormVariant variant)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(shape);
        if (!partials.IsEmpty)
        {
            ShapeCheck.Length(Op, "partials", partials.Length, 2L * shape.N * shape.Channels, $"partials (n, channels, 2) = ({shape.N}, {shape.Channels}, 2)");
        }
        return variant switch
        {
            BatchNormVariant.PerImage when partials.IsEmpty =>
                throw new ArgumentException($"{Op}: the per-image variant sums into a partials workspace of 2·n·channels = {2L * shape.N * shape.Channels} floats: pass one"),
            BatchNormVariant.Auto when shape.Space < 2 || partials.IsEmpty => BatchNormVariant.PerChannel,
            BatchNormVariant.Auto => accelerator.Engine.Has(EngineCapabilities.Tunable) ? BatchNormTuning.Fastest(accelerator)
                : accelerator.Device.Type == DeviceType.Gpu ? BatchNormVariant.PerImage : BatchNormVariant.PerChannel,
            _ => variant,
        };
    }

    internal static void Check(BatchNormShape shape, (string Name, ArrayView<float> View)[] elementwise, (string Name, ArrayView<float> View)[] perChannel,
        string op = Op)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ShapeCheck.Positive(op, ("n", shape.N), ("channels", shape.Channels), ("space", shape.Space));
        if (!(shape.Eps > 0 && float.IsFinite(shape.Eps)) || shape.Momentum is not (>= 0 and <= 1))
        {
            throw new ArgumentException($"{op}: eps must be positive and momentum in [0, 1]; got eps {shape.Eps}, momentum {shape.Momentum}");
        }
        foreach (var (name, view) in elementwise)
        {
            ShapeCheck.Length(op, name, view.Length, shape.Elements, $"{name} {Describe(shape)}");
        }
        foreach (var (name, view) in perChannel)
        {
            ShapeCheck.Length(op, name, view.Length, shape.Channels, $"{name} ({shape.Channels})");
        }
    }

    // The element-wise kernels' launch: (position in the plane, image·channel row).
    private static Index2D Elements(BatchNormShape shape) => new(shape.Space, checked(shape.N * shape.Channels));

    private static string Describe(BatchNormShape shape) => $"({shape.N}, {shape.Channels}, {shape.Space})";
}
