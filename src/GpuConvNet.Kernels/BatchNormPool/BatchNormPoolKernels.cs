using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Batch norm, ReLU and 2×2 max pooling (stride 2, even height and width) in one pass each way, for the
/// conv-BN-ReLU-pool blocks of <c>fast</c> and <c>cnn-best</c>. x: the convolution's output (N, C, H, W) row-major;
/// y and argmax: (N, C, H/2, W/2), argmax the flat index into x of the window's first maximum of the normalised value
/// z = x·scale[c] + shift[c]; y = max(z at argmax, 0). ReLU is monotone, so the maximum of the ReLU'd values is the
/// ReLU of the maximum, and where it is 0 its gradient is 0 whichever cell the argmax names: the unfused chain
/// (<see cref="BatchNormKernels.Apply"/>, <see cref="MaxPoolKernels.Forward2x2"/>; backward
/// <see cref="MaxPoolKernels.Backward2x2"/>, <see cref="ActivationKernels.ReluBackward"/>,
/// <see cref="BatchNormKernels.GradientPartials"/>, <see cref="BatchNormKernels.InputGradient"/>) gives the same y and
/// the same gradients. What fusing saves: the full-size z is never written or read back (forward: read x, write a
/// quarter; backward: the per-channel sums read a quarter of the data and one gathered x per window, and the input
/// gradient reads x and writes dx once, instead of five full-size passes).
/// </summary>
public static partial class BatchNormPoolKernels
{
    /// <summary>
    /// Forward: z = x·scale[c] + shift[c] over each 2×2 window, y = max(z) clamped at 0 (a NaN passes through), argmax =
    /// the first maximum's flat index into x, ties kept in row-major window order. index = (oq, op, plane), plane =
    /// n·C + c; scale, shift from the batch's statistics (training) or the running ones (inference).
    /// </summary>
    [Kernel]
    public static void ApplyReluPool(Index3D index, ArrayView<float> x, ArrayView<float> y, ArrayView<int> argmax, ArrayView<float> scale,
        ArrayView<float> shift, int channels, int h, int w)
    {
        int plane = index.Z;
        int c = plane % channels;
        float a = scale[c];
        float b = shift[c];
        int o = (plane * (h / 2) + index.Y) * (w / 2) + index.X;
        int at = (plane * h + 2 * index.Y) * w + 2 * index.X;
        float v0 = x[at] * a + b;
        float v1 = x[at + 1] * a + b;
        float v2 = x[at + w] * a + b;
        float v3 = x[at + w + 1] * a + b;
        float best = v0;
        int where = at;
        where = v1 > best ? at + 1 : where;
        best = v1 > best ? v1 : best;
        where = v2 > best ? at + w : where;
        best = v2 > best ? v2 : best;
        where = v3 > best ? at + w + 1 : where;
        best = v3 > best ? v3 : best;
        // A comparison, not MathF.Max: a NaN must reach the loss, not vanish here.
        y[o] = best < 0f ? 0f : best;
        argmax[o] = where;
    }

    /// <summary>
    /// Backward sums per (image b, channel c): partials[(c·n + b)·2 + 0 and 1] = Σ over the plane's windows of g and
    /// g·(x[argmax] − mean[c]), g = dy where y &gt; 0 (the ReLU let it through) else 0 — the same partials as
    /// <see cref="BatchNormKernels.GradientPartials"/> takes over the full plane, where every other cell's gradient is
    /// 0. dy, y, argmax: (N, C, pooled) with pooled = (H/2)·(W/2). index = (b, c). argmax indexes x: it comes from
    /// <see cref="ApplyReluPool"/> of the same x.
    /// </summary>
    [Kernel]
    public static void GradientPartials(Index2D index, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> y, ArrayView<int> argmax,
        ArrayView<float> mean, ArrayView<float> partials, int n, int channels, int pooled)
    {
        int b = index.X;
        int c = index.Y;
        float m = mean[c];
        int start = (b * channels + c) * pooled;
        var gs = dy.SubView(start, pooled);
        var ys = y.SubView(start, pooled);
        var at = argmax.SubView(start, pooled);
        // Sixteen partial sums, as the unfused kernel keeps: vectorisable, and a smaller float32 error than one sum.
        Span<float> betas = stackalloc float[16];
        Span<float> gammas = stackalloc float[16];
        int whole = pooled / 16 * 16;
        for (int j0 = 0; j0 < whole; j0 += 16)
        {
            for (int j = 0; j < 16; j++)
            {
                float g = ys[j0 + j] > 0f ? gs[j0 + j] : 0f;
                betas[j] += g;
                gammas[j] += g * (x[at[j0 + j]] - m);
            }
        }
        for (int j = whole; j < pooled; j++)
        {
            float g = ys[j] > 0f ? gs[j] : 0f;
            betas[j - whole] += g;
            gammas[j - whole] += g * (x[at[j]] - m);
        }
        float beta = 0f;
        float gamma = 0f;
        for (int j = 0; j < 16; j++)
        {
            beta += betas[j];
            gamma += gammas[j];
        }
        partials[(c * n + b) * 2] = beta;
        partials[(c * n + b) * 2 + 1] = gamma;
    }

    /// <summary>
    /// Input gradient: for the four cells of window (op, oq), dx = a[c]·dz + b[c]·x + d[c] with dz = dy at the argmax
    /// when y &gt; 0, else 0 (coefficients (3, C) = a, b, d of <see cref="BatchNormKernels.InputGradientCoefficients"/>).
    /// index = (oq, op, plane); x, dx: (N, C, H, W); dy, y, argmax: (N, C, H/2, W/2). argmax is only compared.
    /// </summary>
    [Kernel]
    public static void InputGradient(Index3D index, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> y, ArrayView<int> argmax,
        ArrayView<float> dx, ArrayView<float> coefficients, int channels, int h, int w)
    {
        int plane = index.Z;
        int c = plane % channels;
        float a = coefficients[c];
        float b = coefficients[channels + c];
        float d = coefficients[2 * channels + c];
        int o = (plane * (h / 2) + index.Y) * (w / 2) + index.X;
        int at = (plane * h + 2 * index.Y) * w + 2 * index.X;
        int best = argmax[o];
        float g = y[o] > 0f ? dy[o] : 0f;
        dx[at] = a * (best == at ? g : 0f) + b * x[at] + d;
        dx[at + 1] = a * (best == at + 1 ? g : 0f) + b * x[at + 1] + d;
        dx[at + w] = a * (best == at + w ? g : 0f) + b * x[at + w] + d;
        dx[at + w + 1] = a * (best == at + w + 1 ? g : 0f) + b * x[at + w + 1] + d;
    }
}
