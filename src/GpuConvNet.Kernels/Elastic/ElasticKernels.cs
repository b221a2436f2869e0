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
    /// noise[b, d, r, c] = U(key_b, d·H·W + r·W + c), key_b = Mix(stepKey ^ b) (stepKey =
    /// <see cref="Elastic.StepKey"/>(seed, step)), U = <see cref="AffineGatherKernels.Uniform"/>. noise: (N, 2, H, W);
    /// index = (c, r, 2b + d) over (W, H, 2N).
    /// </summary>
    [Kernel]
    public static void Noise(Index3D index, ArrayView<float> noise, int height, int width, uint stepKey)
    {
        int c = index.X;
        int r = index.Y;
        int plane = index.Z;
        int b = plane / 2;
        // One hash per value, written once: drawing the noise inside the blur instead (each value hashed again by the
        // 2·radius + 1 lanes that read it) made the field 1.9× slower on PoCL, whose lanes run the taps' loop scalar.
        uint key = CounterHash.Mix(stepKey ^ (uint)b);
        noise[(plane * height + r) * width + c] = AffineGatherKernels.Uniform(key, (uint)(((plane - 2 * b) * height + r) * width + c));
    }

    /// <summary>
    /// One pass of the separable blur: output[b, d, r, c] = scale · Σ_j taps[radius + j] · input[b, d, r, c + j]
    /// (vertical = 0) or input[b, d, r + j, c] (vertical ≠ 0), over j ∈ [−radius, radius] within the image (input is
    /// 0 outside it), radius = (taps.Length − 1) / 2. input, output: (N, 2, H, W), distinct; index = (c, r, 2b + d).
    /// </summary>
    [Kernel]
    public static void Blur(Index3D index, ArrayView<float> taps, ArrayView<float> input, ArrayView<float> output, int height, int width, int radius,
        int vertical, float scale)
    {
        int c = index.X;
        int r = index.Y;
        int plane = index.Z;
        int position = vertical != 0 ? r : c;
        int length = vertical != 0 ? height : width;
        int stride = vertical != 0 ? width : 1;
        int at = (plane * height + r) * width + c;
        // The window clipped to the image: no tap reads outside the plane, and none is wasted on a zero.
        int low = Math.Max(-radius, -position);
        int high = Math.Min(radius, length - 1 - position);
        float sum = 0f;
        for (int j = low; j <= high; j++)
        {
            sum += taps[radius + j] * input[at + j * stride];
        }
        output[at] = scale * sum;
    }
}
