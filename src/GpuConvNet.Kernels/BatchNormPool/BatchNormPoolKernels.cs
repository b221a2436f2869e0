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
/// the same gradients. What fusing saves: the full-size z is never written or read back, nor the full-size gradient
/// through the pooling (forward: read x, write y, argmax and the x at each argmax, a quarter each; backward: the
/// per-channel sums read three quarter-size streams, and dx takes one full-size pass plus one store per window, instead
/// of the unfused chain's five full-size passes).
/// </summary>
public static partial class BatchNormPoolKernels
{
    /// <summary>
    /// Forward: z = x·scale[c] + shift[c] over each 2×2 window, y = max(z) clamped at 0 (a NaN passes through), argmax =
    /// the first maximum's flat index into x, ties kept in row-major window order, xAtMax = x there (by selects: a load
    /// from x[argmax] would be a gather). scale, shift from the batch's statistics (training) or the running ones
    /// (inference). A lane takes one row of windows (two rows of x) and walks its windows in a loop, which LLVM
    /// vectorises reading the rows' pairs as interleaved vectors: with a lane per window, its two-by-two reads were
    /// gathers (0.58 against 0.41 ms for `fast`'s first block at batch 128 on PoCL). index = (op, plane), plane =
    /// n·C + c; x: (N, C, H, W); y, argmax, xAtMax: (N, C, H/2, W/2).
    /// </summary>
    [Kernel]
    public static void ApplyReluPool(Index2D index, ArrayView<float> x, ArrayView<float> y, ArrayView<int> argmax, ArrayView<float> xAtMax,
        ArrayView<float> scale, ArrayView<float> shift, int channels, int h, int w)
    {
        int op = index.X;
        int plane = index.Y;
        int c = plane % channels;
        float a = scale[c];
        float b = shift[c];
        int q = w / 2;
        int top = (plane * h + 2 * op) * w;
        var row0 = x.SubView(top, w);
        var row1 = x.SubView(top + w, w);
        int o0 = (plane * (h / 2) + op) * q;
        var ys = y.SubView(o0, q);
        var at = argmax.SubView(o0, q);
        var xs = xAtMax.SubView(o0, q);
        for (int oq = 0; oq < q; oq++)
        {
            float x0 = row0[2 * oq];
            float x1 = row0[2 * oq + 1];
            float x2 = row1[2 * oq];
            float x3 = row1[2 * oq + 1];
            float v0 = x0 * a + b;
            float v1 = x1 * a + b;
            float v2 = x2 * a + b;
            float v3 = x3 * a + b;
            // The argmax's offset and its x follow the same comparisons as the maximum.
            float best = v0;
            int where = 0;
            float atMax = x0;
            where = v1 > best ? 1 : where;
            atMax = v1 > best ? x1 : atMax;
            best = v1 > best ? v1 : best;
            where = v2 > best ? w : where;
            atMax = v2 > best ? x2 : atMax;
            best = v2 > best ? v2 : best;
            where = v3 > best ? w + 1 : where;
            atMax = v3 > best ? x3 : atMax;
            best = v3 > best ? v3 : best;
            // A comparison, not MathF.Max: a NaN must reach the loss, not vanish here.
            ys[oq] = best < 0f ? 0f : best;
            at[oq] = top + 2 * oq + where;
            xs[oq] = atMax;
        }
    }

    /// <summary>
    /// Backward sums per (image b, channel c): partials[(c·n + b)·2 + 0 and 1] = Σ over the plane's windows of g and
    /// g·(xAtMax − mean[c]), g = dy where y &gt; 0 (the ReLU let it through) else 0 — the same partials as
    /// <see cref="BatchNormKernels.GradientPartials"/> takes over the full plane, where every other cell's gradient is
    /// 0. dy, y, xAtMax: (N, C, pooled) with pooled = (H/2)·(W/2), xAtMax the x at each window's argmax, which
    /// <see cref="ApplyReluPool"/> writes so that this pass reads three sequential streams instead of gathering from x
    /// (which kept it scalar). index = (b, c).
    /// </summary>
    [Kernel]
    public static void GradientPartials(Index2D index, ArrayView<float> dy, ArrayView<float> y, ArrayView<float> xAtMax,
        ArrayView<float> mean, ArrayView<float> partials, int n, int channels, int pooled)
    {
        int b = index.X;
        int c = index.Y;
        float m = mean[c];
        int start = (b * channels + c) * pooled;
        var gs = dy.SubView(start, pooled);
        var ys = y.SubView(start, pooled);
        var xs = xAtMax.SubView(start, pooled);
        // Sixteen partial sums, as the unfused kernel keeps: vectorisable, and a smaller float32 error than one sum.
        Span<float> betas = stackalloc float[16];
        Span<float> gammas = stackalloc float[16];
        int whole = pooled / 16 * 16;
        for (int j0 = 0; j0 < whole; j0 += 16)
        {
            for (int j = 0; j < 16; j++)
            {
                // Loaded before the select: a load under a condition is control flow, which keeps the loop scalar.
                float gradient = gs[j0 + j];
                float g = ys[j0 + j] > 0f ? gradient : 0f;
                betas[j] += g;
                gammas[j] += g * (xs[j0 + j] - m);
            }
        }
        for (int j = whole; j < pooled; j++)
        {
            float gradient = gs[j];
            float g = ys[j] > 0f ? gradient : 0f;
            betas[j - whole] += g;
            gammas[j - whole] += g * (xs[j] - m);
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
    /// Input gradient, pass 1: dx = b[c]·x + d[c] everywhere (coefficients (3, C) = a, b, d of
    /// <see cref="BatchNormKernels.InputGradientCoefficients"/>), what every cell gets whose gradient through the pooling
    /// and the ReLU is 0. index = (position in the plane, n·C + c) as <see cref="BatchNormKernels.InputGradient"/>:
    /// consecutive runs of x and dx, one vector load and store each.
    /// </summary>
    [Kernel]
    public static void InputGradientBase(Index2D index, ArrayView<float> x, ArrayView<float> dx, ArrayView<float> coefficients, int channels, int space)
    {
        int row = index.Y;
        int i = row * space + index.X;
        int c = row % channels;
        dx[i] = coefficients[channels + c] * x[i] + coefficients[2 * channels + c];
    }

    /// <summary>
    /// Input gradient, pass 2 (after pass 1): each window's argmax cell gets a[c]·g + b[c]·x + d[c], g = dy where y &gt; 0
    /// else 0, with x read from xAtMax — one store per window, the only cells pass 1 left short. index = (position in
    /// the pooled plane, n·C + c); dy, y, argmax, xAtMax: (N, C, pooled), argmax indexing dx (N, C, H, W). (Both passes
    /// in one, a lane per window writing its four cells or a lane per cell reading its window, took 5–7 times as long
    /// on PoCL: the window's cells are two by two, which LLVM turned into gathers.)
    /// </summary>
    [Kernel]
    public static void InputGradientAtMax(Index2D index, ArrayView<float> dy, ArrayView<float> y, ArrayView<int> argmax, ArrayView<float> xAtMax,
        ArrayView<float> dx, ArrayView<float> coefficients, int channels, int pooled)
    {
        int row = index.Y;
        int o = row * pooled + index.X;
        int c = row % channels;
        // Loaded before the select: a load under a condition is control flow, which keeps the loop scalar.
        float gradient = dy[o];
        float g = y[o] > 0f ? gradient : 0f;
        dx[argmax[o]] = coefficients[c] * g + coefficients[channels + c] * xAtMax[o] + coefficients[2 * channels + c];
    }
}
