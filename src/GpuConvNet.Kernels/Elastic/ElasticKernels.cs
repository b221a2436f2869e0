using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// The displacement fields of elastic distortion (Simard et al., 2003): per sample two planes (u, v) of noise uniform
/// in [−1, 1], one value per pixel drawn from an integer hash of (seed, step, sample, plane, pixel), smoothed by a
/// truncated Gaussian (zero outside the image) in two separable passes and scaled by α. Field layout (N, 2, H, W):
/// plane 0 is the displacement along columns (x), plane 1 along rows (y).
/// </summary>
public static partial class ElasticKernels
{
    /// <summary>
    /// rows[b, d, r, c] = Σ_j taps[radius + j] · U(key_b, d·H·W + r·W + c + j) over j ∈ [−radius, radius] with
    /// 0 ≤ c + j &lt; W (the noise is 0 outside the image), where radius = (taps.Length − 1) / 2,
    /// key_b = Mix(stepKey ^ b) (stepKey = <see cref="Elastic.StepKey"/>(seed, step)) and U =
    /// <see cref="AffineGatherKernels.Uniform"/>. taps: (2·radius + 1) normalised Gaussian weights; rows: (N, 2, H, W).
    /// index = (c, r, 2b + d) over (W, H, 2N).
    /// </summary>
    [Kernel]
    public static void NoiseRows(Index3D index, ArrayView<float> taps, ArrayView<float> rows, int height, int width, int radius, uint stepKey)
    {
        int c = index.X;
        int r = index.Y;
        int plane = index.Z;
        int b = plane / 2;
        // Each noise value is drawn again by the 2·radius + 1 lanes that read it: a hash is a dozen integer operations,
        // which the lane loops vectorise, where a noise buffer would cost a pass through memory and a launch.
        uint key = CounterHash.Mix(stepKey ^ (uint)b);
        int first = ((plane - 2 * b) * height + r) * width;
        int low = Math.Max(-radius, -c);
        int high = Math.Min(radius, width - 1 - c);
        float sum = 0f;
        for (int j = low; j <= high; j++)
        {
            sum += taps[radius + j] * AffineGatherKernels.Uniform(key, (uint)(first + c + j));
        }
        rows[(plane * height + r) * width + c] = sum;
    }

    /// <summary>
    /// field[b, d, r, c] = alpha · Σ_i taps[radius + i] · rows[b, d, r + i, c] over i ∈ [−radius, radius] with
    /// 0 ≤ r + i &lt; H: the column pass of the blur, scaled to pixels. rows, field: (N, 2, H, W); index = (c, r, 2b + d).
    /// </summary>
    [Kernel]
    public static void BlurColumns(Index3D index, ArrayView<float> taps, ArrayView<float> rows, ArrayView<float> field, int height, int width, int radius, float alpha)
    {
        int c = index.X;
        int r = index.Y;
        int plane = index.Z;
        int low = Math.Max(-radius, -r);
        int high = Math.Min(radius, height - 1 - r);
        float sum = 0f;
        for (int i = low; i <= high; i++)
        {
            sum += taps[radius + i] * rows[(plane * height + r + i) * width + c];
        }
        field[(plane * height + r) * width + c] = alpha * sum;
    }
}
