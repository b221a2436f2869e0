using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// The shape of a fused batch norm + ReLU + 2×2 max pooling (stride 2): x (N, Channels, Height, Width) → y
/// (N, Channels, Height/2, Width/2); Height and Width even, so that the windows tile x.
/// </summary>
public sealed record BatchNormPoolShape(int N, int Channels, int Height, int Width, float Eps = 1e-5f, float Momentum = 0.1f)
{
    /// <summary>The batch norm (with its ReLU) over x.</summary>
    public BatchNormShape Norm => new(N, Channels, Height * Width, Eps, Momentum, Relu: true);

    /// <summary>The pooling of the normalised x.</summary>
    public Pool2DShape Pool => Pool2DShape.Square(N, Channels, Height, Width, 2, 2);

    /// <summary>Elements of y (and argmax): N·C·(H/2)·(W/2).</summary>
    public long PooledLength => (long)N * Channels * (Height / 2) * (Width / 2);
}

/// <summary>
/// Batch norm (PyTorch's BatchNorm2d), ReLU and 2×2 max pooling with stride 2 as one op: the statistics as
/// <see cref="BatchNorm"/> takes them (same variants, same workspace), then one pass that normalises, cuts and pools
/// (<see cref="BatchNormPoolKernels.ApplyReluPool"/>); backward, the per-channel sums over the pooled gradient and one
/// pass for dx (<see cref="BatchNormPoolKernels"/> says why that is exact). Variant 1 of the block; the unfused chain
/// (<see cref="BatchNorm"/> with a ReLU, then <see cref="MaxPool"/>) is variant 0 and its reference. Asynchronous.
/// </summary>
public static class BatchNormPool
{
    private const string Op = "BatchNormPool";

    /// <summary>
    /// Training forward: mean, invStd (kept for <see cref="Backward"/>), the running statistics moved, scale and shift
    /// (workspace, channels each), y, argmax and xAtMax (x at the argmax, which the backward sums read), each
    /// (N, C, H/2, W/2). partials: 2·N·C floats (as <see cref="BatchNorm.ForwardTraining"/>).
    /// </summary>
    public static void ForwardTraining(Accelerator accelerator, BatchNormPoolShape shape, ArrayView<float> x, ArrayView<float> y, ArrayView<int> argmax,
        ArrayView<float> xAtMax, ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> runningMean,
        ArrayView<float> runningVar, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> partials = default)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        Check(shape, x, y, argmax, xAtMax, [("gamma", gamma), ("beta", beta), ("mean", mean), ("invStd", invStd), ("runningMean", runningMean),
            ("runningVar", runningVar), ("scale", scale), ("shift", shift)]);
        BatchNorm.LaunchTrainingScaleShift(accelerator, shape.Norm, x, gamma, beta, mean, invStd, runningMean, runningVar, scale, shift, partials,
            BatchNormVariant.Auto);
        LaunchApply(accelerator, shape, x, y, argmax, xAtMax, scale, shift);
    }

    /// <summary>Inference forward from the running statistics; scale and shift (channels each) are workspace.</summary>
    public static void ForwardInference(Accelerator accelerator, BatchNormPoolShape shape, ArrayView<float> x, ArrayView<float> y, ArrayView<int> argmax,
        ArrayView<float> xAtMax, ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> runningMean, ArrayView<float> runningVar,
        ArrayView<float> scale, ArrayView<float> shift)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        Check(shape, x, y, argmax, xAtMax, [("gamma", gamma), ("beta", beta), ("runningMean", runningMean), ("runningVar", runningVar), ("scale", scale), ("shift", shift)]);
        accelerator.Launch(BatchNormKernels.InferenceScaleShift, new Index1D(shape.Channels), gamma, beta, runningMean, runningVar, scale, shift, shape.Eps);
        LaunchApply(accelerator, shape, x, y, argmax, xAtMax, scale, shift);
    }

    /// <summary>
    /// Training backward from dy (N, C, H/2, W/2): dGamma, dBeta (overwritten) and, unless <paramref name="dx"/> is empty,
    /// dx (N, C, H, W). x, y, argmax, xAtMax, mean and invStd are those of <see cref="ForwardTraining"/>; coefficients (3·C) and
    /// partials (2·N·C) are workspace.
    /// </summary>
    public static void Backward(Accelerator accelerator, BatchNormPoolShape shape, ArrayView<float> x, ArrayView<float> y, ArrayView<int> argmax,
        ArrayView<float> xAtMax, ArrayView<float> dy, ArrayView<float> dx, ArrayView<float> gamma, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> dGamma,
        ArrayView<float> dBeta, ArrayView<float> coefficients, ArrayView<float> partials)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        Check(shape, x, y, argmax, xAtMax, [("gamma", gamma), ("mean", mean), ("invStd", invStd), ("dGamma", dGamma), ("dBeta", dBeta)]);
        ShapeCheck.Length(Op, "dy", dy.Length, shape.PooledLength, $"dy {Pooled(shape)}");
        if (!dx.IsEmpty)
        {
            ShapeCheck.Length(Op, "dx", dx.Length, shape.Norm.Elements, $"dx ({shape.N}, {shape.Channels}, {shape.Height}, {shape.Width})");
        }
        ShapeCheck.Length(Op, "coefficients", coefficients.Length, 3L * shape.Channels, $"coefficients (3, {shape.Channels})");
        ShapeCheck.Length(Op, "partials", partials.Length, 2L * shape.N * shape.Channels, $"partials (n, channels, 2) = ({shape.N}, {shape.Channels}, 2)");
        int pooled = shape.Height / 2 * (shape.Width / 2);
        accelerator.Launch(BatchNormPoolKernels.GradientPartials, new Index2D(shape.N, shape.Channels), dy, y, xAtMax, mean, partials,
            shape.N, shape.Channels, pooled);
        accelerator.Launch(BatchNormKernels.GradientCombine, new Index1D(shape.Channels), partials, invStd, dGamma, dBeta, shape.N);
        if (dx.IsEmpty)
        {
            return;
        }
        BatchNorm.LaunchInputGradientCoefficients(accelerator, shape.Norm, gamma, mean, invStd, dGamma, dBeta, coefficients);
        var rows = checked(shape.N * shape.Channels);
        accelerator.Launch(BatchNormPoolKernels.InputGradientBase, new Index2D(shape.Height * shape.Width, rows), x, dx, coefficients, shape.Channels,
            shape.Height * shape.Width);
        accelerator.Launch(BatchNormPoolKernels.InputGradientAtMax, new Index2D(pooled, rows), dy, y, argmax, xAtMax, dx, coefficients, shape.Channels, pooled);
    }

    private static void LaunchApply(Accelerator accelerator, BatchNormPoolShape shape, ArrayView<float> x, ArrayView<float> y, ArrayView<int> argmax,
        ArrayView<float> xAtMax, ArrayView<float> scale, ArrayView<float> shift) =>
        accelerator.Launch(BatchNormPoolKernels.ApplyReluPool, new Index2D(shape.Height / 2, checked(shape.N * shape.Channels)),
            x, y, argmax, xAtMax, scale, shift, shape.Channels, shape.Height, shape.Width);

    private static void Check(BatchNormPoolShape shape, ArrayView<float> x, ArrayView<float> y, ArrayView<int> argmax, ArrayView<float> xAtMax,
        (string Name, ArrayView<float> View)[] perChannel)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ShapeCheck.Positive(Op, ("height", shape.Height), ("width", shape.Width));
        if (shape.Height % 2 != 0 || shape.Width % 2 != 0)
        {
            throw new ArgumentException($"{Op}: 2×2 windows with stride 2 must tile the input; its height and width must be even, not {shape.Height}×{shape.Width}");
        }
        BatchNorm.Check(shape.Norm, [("x", x)], perChannel, Op);
        ShapeCheck.Length(Op, "y", y.Length, shape.PooledLength, $"y {Pooled(shape)}");
        ShapeCheck.Length(Op, "argmax", argmax.Length, shape.PooledLength, $"argmax {Pooled(shape)}");
        ShapeCheck.Length(Op, "xAtMax", xAtMax.Length, shape.PooledLength, $"xAtMax {Pooled(shape)}");
    }

    private static string Pooled(BatchNormPoolShape shape) => $"({shape.N}, {shape.Channels}, {shape.Height / 2}, {shape.Width / 2})";
}
