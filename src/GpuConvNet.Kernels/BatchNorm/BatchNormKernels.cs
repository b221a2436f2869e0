using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Batch normalisation of x: (n, channels, space) row-major (NCHW with space = H·W for BatchNorm2d; (n, features) with
/// space = 1 for BatchNorm1d), per channel c over the n·space values of the batch. Per-channel kernels run one lane per
/// channel and walk the channel's planes with sixteen partial sums (vectorisable by CPU compilers, and a smaller
/// float32 error than one running sum), like <see cref="BiasGradientKernels.PlaneBlocked"/>; elementwise kernels run
/// one lane per element. Variant 0 of each (kernels.md).
/// </summary>
public static partial class BatchNormKernels
{
    /// <summary>
    /// Training statistics of channel c: mean[c] and invStd[c] = 1/√(var + eps) of the batch (two passes: the mean,
    /// then Σ(x − mean)², so no cancellation), and running statistics moved towards them as PyTorch moves them:
    /// running = (1 − momentum)·running + momentum·batch, the variance unbiased (× count/(count − 1)).
    /// </summary>
    [Kernel]
    public static void Statistics(Index1D index, ArrayView<float> x, ArrayView<float> mean, ArrayView<float> invStd,
        ArrayView<float> runningMean, ArrayView<float> runningVar, int n, int channels, int space, float eps, float momentum)
    {
        int c = index;
        float count = n * space;
        float sum = ChannelMoment(x, c, n, channels, space, 0f, 1);
        float m = sum / count;
        float squares = ChannelMoment(x, c, n, channels, space, m, 2);
        float variance = squares / count;
        mean[c] = m;
        invStd[c] = 1f / MathF.Sqrt(variance + eps);
        float unbiased = count > 1f ? squares / (count - 1f) : variance;
        runningMean[c] = (1f - momentum) * runningMean[c] + momentum * m;
        runningVar[c] = (1f - momentum) * runningVar[c] + momentum * unbiased;
    }

    /// <summary>The affine map each element gets in training: scale[c] = gamma[c]·invStd[c], shift[c] = beta[c] − mean[c]·scale[c].</summary>
    [Kernel]
    public static void TrainingScaleShift(Index1D c, ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> mean, ArrayView<float> invStd,
        ArrayView<float> scale, ArrayView<float> shift)
    {
        float s = gamma[c] * invStd[c];
        scale[c] = s;
        shift[c] = beta[c] - mean[c] * s;
    }

    /// <summary>The affine map in inference, from the running statistics: scale[c] = gamma[c]/√(runningVar[c] + eps), shift as in training.</summary>
    [Kernel]
    public static void InferenceScaleShift(Index1D c, ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> runningMean,
        ArrayView<float> runningVar, ArrayView<float> scale, ArrayView<float> shift, float eps)
    {
        float s = gamma[c] / MathF.Sqrt(runningVar[c] + eps);
        scale[c] = s;
        shift[c] = beta[c] - runningMean[c] * s;
    }

    /// <summary>
    /// y[i] = x[i]·scale[c] + shift[c], c = i / space % channels (normalise, then the learnt affine map), and with
    /// <paramref name="relu"/> ≠ 0 the ReLU that follows fused in: one pass through memory instead of two.
    /// </summary>
    /// <remarks>
    /// Launched over (space, n·channels): a lane's channel is its row modulo channels, one division per row rather
    /// than per element (PoCL does not vectorise integer division by runtime values; as 1D this kernel took 15 % of a
    /// <c>fast</c> training step).
    /// </remarks>
    [Kernel]
    public static void Apply(Index2D index, ArrayView<float> x, ArrayView<float> y, ArrayView<float> scale, ArrayView<float> shift, int channels, int space, int relu)
    {
        int row = index.Y;
        int i = row * space + index.X;
        int c = row % channels;
        float v = x[i] * scale[c] + shift[c];
        // A comparison, not MathF.Max: a NaN must reach the loss, not vanish here.
        y[i] = relu != 0 && v < 0f ? 0f : v;
    }

    /// <summary>
    /// Backward sums of channel c: dBeta[c] = Σ dy and dGamma[c] = Σ dy·x̂ with x̂ = (x − mean)·invStd recomputed from x
    /// (nothing of the forward but mean and invStd is kept).
    /// </summary>
    [Kernel]
    public static void GradientSums(Index1D index, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> mean, ArrayView<float> invStd,
        ArrayView<float> dGamma, ArrayView<float> dBeta, int n, int channels, int space)
    {
        int c = index;
        float m = mean[c];
        float s = invStd[c];
        Span<float> beta = stackalloc float[16];
        Span<float> gamma = stackalloc float[16];
        int whole = space / 16 * 16;
        for (int b = 0; b < n; b++)
        {
            int start = (b * channels + c) * space;
            for (int j0 = 0; j0 < whole; j0 += 16)
            {
                for (int j = 0; j < 16; j++)
                {
                    float g = dy[start + j0 + j];
                    beta[j] += g;
                    gamma[j] += g * (x[start + j0 + j] - m) * s;
                }
            }
            for (int j = whole; j < space; j++)
            {
                float g = dy[start + j];
                beta[j - whole] += g;
                gamma[j - whole] += g * (x[start + j] - m) * s;
            }
        }
        float sumBeta = 0f;
        float sumGamma = 0f;
        for (int j = 0; j < 16; j++)
        {
            sumBeta += beta[j];
            sumGamma += gamma[j];
        }
        dBeta[c] = sumBeta;
        dGamma[c] = sumGamma;
    }

    /// <summary>
    /// The input gradient per channel as an affine map of dy and x: dx = gamma·invStd/count·(count·dy − dBeta − x̂·dGamma)
    /// with x̂ = (x − mean)·invStd is a·dy + b·x + d, where a = gamma·invStd, b = −gamma·invStd²·dGamma/count and
    /// d = gamma·invStd/count·(mean·invStd·dGamma − dBeta); coefficients: (3, channels) = a, b, d.
    /// </summary>
    [Kernel]
    public static void InputGradientCoefficients(Index1D c, ArrayView<float> gamma, ArrayView<float> mean, ArrayView<float> invStd,
        ArrayView<float> dGamma, ArrayView<float> dBeta, ArrayView<float> coefficients, int channels, float count)
    {
        float s = invStd[c];
        float a = gamma[c] * s;
        coefficients[c] = a;
        coefficients[channels + c] = -a * s * dGamma[c] / count;
        coefficients[2 * channels + c] = a / count * (mean[c] * s * dGamma[c] - dBeta[c]);
    }

    /// <summary>
    /// dx[i] = a[c]·dy[i] + b[c]·x[i] + d[c] (see <see cref="InputGradientCoefficients"/>): the gradient through the
    /// batch's statistics, one multiply-add pair per element. Each lane reads dy[i] before writing dx[i]: dx may be dy.
    /// </summary>
    /// <remarks>Launched over (space, n·channels) as <see cref="Apply"/>.</remarks>
    [Kernel]
    public static void InputGradient(Index2D index, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx, ArrayView<float> coefficients,
        int channels, int space)
    {
        int row = index.Y;
        int i = row * space + index.X;
        int c = row % channels;
        dx[i] = coefficients[c] * dy[i] + coefficients[channels + c] * x[i] + coefficients[2 * channels + c];
    }

    /// <summary>
    /// Variant 1 of the statistics, for planes (BatchNorm2d): partials[(c·n + b)·2 + 0 and 1] = Σ over image b's plane
    /// of channel c of (x − pivot) and (x − pivot)², pivot = the channel's first value (image 0, position 0). One lane
    /// per (image, channel) — n·channels lanes instead of channels, which spreads the work over many cores (or a GPU)
    /// and reads x once instead of twice. The shift by a value of the channel itself keeps the one-pass variance
    /// free of cancellation as long as the values sit within a few standard deviations of one another.
    /// index = (b, c).
    /// </summary>
    [Kernel]
    public static void StatisticsPartials(Index2D index, ArrayView<float> x, ArrayView<float> partials, int n, int channels, int space)
    {
        int b = index.X;
        int c = index.Y;
        float pivot = x[c * space];
        var plane = x.SubView((b * channels + c) * space, space);
        Span<float> sums = stackalloc float[16];
        Span<float> squares = stackalloc float[16];
        int whole = space / 16 * 16;
        for (int j0 = 0; j0 < whole; j0 += 16)
        {
            for (int j = 0; j < 16; j++)
            {
                float d = plane[j0 + j] - pivot;
                sums[j] += d;
                squares[j] += d * d;
            }
        }
        for (int j = whole; j < space; j++)
        {
            float d = plane[j] - pivot;
            sums[j - whole] += d;
            squares[j - whole] += d * d;
        }
        float sum = 0f;
        float square = 0f;
        for (int j = 0; j < 16; j++)
        {
            sum += sums[j];
            square += squares[j];
        }
        partials[(c * n + b) * 2] = sum;
        partials[(c * n + b) * 2 + 1] = square;
    }

    /// <summary>
    /// Variant 1, pass 2: channel c's mean, invStd and running statistics (as <see cref="Statistics"/>) from its n
    /// partials: with S1 = Σ(x − pivot) and S2 = Σ(x − pivot)² over count values, mean = pivot + S1/count and
    /// var = S2/count − (S1/count)².
    /// </summary>
    [Kernel]
    public static void StatisticsCombine(Index1D index, ArrayView<float> x, ArrayView<float> partials, ArrayView<float> mean, ArrayView<float> invStd,
        ArrayView<float> runningMean, ArrayView<float> runningVar, int n, int channels, int space, float eps, float momentum)
    {
        int c = index;
        float sum = 0f;
        float square = 0f;
        for (int b = 0; b < n; b++)
        {
            sum += partials[(c * n + b) * 2];
            square += partials[(c * n + b) * 2 + 1];
        }
        float count = n * space;
        float shift = sum / count;
        float m = x[c * space] + shift;
        // Rounding can take a (near-)constant channel's variance just below 0.
        float variance = MathF.Max(square / count - shift * shift, 0f);
        mean[c] = m;
        invStd[c] = 1f / MathF.Sqrt(variance + eps);
        float unbiased = count > 1f ? variance * count / (count - 1f) : variance;
        runningMean[c] = (1f - momentum) * runningMean[c] + momentum * m;
        runningVar[c] = (1f - momentum) * runningVar[c] + momentum * unbiased;
    }

    /// <summary>
    /// Variant 1 of the backward sums, for planes: partials[(c·n + b)·2 + 0 and 1] = Σ over image b's plane of channel
    /// c of dy and of dy·(x − mean[c]). One lane per (image, channel), as <see cref="StatisticsPartials"/>. index = (b, c).
    /// </summary>
    [Kernel]
    public static void GradientPartials(Index2D index, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> mean, ArrayView<float> partials,
        int n, int channels, int space)
    {
        int b = index.X;
        int c = index.Y;
        float m = mean[c];
        int start = (b * channels + c) * space;
        var xs = x.SubView(start, space);
        var gs = dy.SubView(start, space);
        Span<float> betas = stackalloc float[16];
        Span<float> gammas = stackalloc float[16];
        int whole = space / 16 * 16;
        for (int j0 = 0; j0 < whole; j0 += 16)
        {
            for (int j = 0; j < 16; j++)
            {
                float g = gs[j0 + j];
                betas[j] += g;
                gammas[j] += g * (xs[j0 + j] - m);
            }
        }
        for (int j = whole; j < space; j++)
        {
            float g = gs[j];
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

    /// <summary>Variant 1, pass 2: dBeta[c] = Σ of the n partial Σ dy, dGamma[c] = invStd[c]·Σ of the partial Σ dy·(x − mean).</summary>
    [Kernel]
    public static void GradientCombine(Index1D index, ArrayView<float> partials, ArrayView<float> invStd, ArrayView<float> dGamma, ArrayView<float> dBeta, int n)
    {
        int c = index;
        float beta = 0f;
        float gamma = 0f;
        for (int b = 0; b < n; b++)
        {
            beta += partials[(c * n + b) * 2];
            gamma += partials[(c * n + b) * 2 + 1];
        }
        dBeta[c] = beta;
        dGamma[c] = gamma * invStd[c];
    }

    // Σ over the channel's n planes of (x − center)^power, power 1 or 2, with sixteen partial sums.
    [KernelFunction]
    private static float ChannelMoment(ArrayView<float> x, int c, int n, int channels, int space, float center, int power)
    {
        Span<float> partial = stackalloc float[16];
        int whole = space / 16 * 16;
        for (int b = 0; b < n; b++)
        {
            int start = (b * channels + c) * space;
            for (int j0 = 0; j0 < whole; j0 += 16)
            {
                for (int j = 0; j < 16; j++)
                {
                    float d = x[start + j0 + j] - center;
                    partial[j] += power == 2 ? d * d : d;
                }
            }
            for (int j = whole; j < space; j++)
            {
                float d = x[start + j] - center;
                partial[j - whole] += power == 2 ? d * d : d;
            }
        }
        float sum = 0f;
        for (int j = 0; j < 16; j++)
        {
            sum += partial[j];
        }
        return sum;
    }
}
