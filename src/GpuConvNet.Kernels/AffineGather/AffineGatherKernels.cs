using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Builds an augmented training batch on the device: each sample is gathered from the byte images through the shuffled
/// index buffer, as <see cref="GatherKernels"/> does, and resampled under its own random rotation, scale and translation
/// (bilinear, background byte 0 outside the image), then normalised. One lane per output pixel; the sample's transform
/// is drawn from an integer hash of (seed, step, sample), so any lane computes it without state or a second pass.
/// </summary>
public static partial class AffineGatherKernels
{
    /// <summary>
    /// Draw <paramref name="k"/> of the sample keyed <paramref name="key"/>, uniform in [−1, 1): the top 24 bits of a
    /// hash, which a float holds exactly, times 2⁻²³, less 1, so that every engine gets the same value.
    /// </summary>
    [KernelFunction]
    public static float Uniform(uint key, uint k)
    {
        uint h = CounterHash.Mix(key + k * 0x9e3779b9u);
        // Through int: C# converts a uint to float by way of double, which ILGPU's OpenCL backend refuses.
        return (float)(int)(h >> 8) * 1.1920929e-7f - 1f;
    }

    /// <summary>Pixel (row, column) of the image starting at <paramref name="offset"/>, or 0 (background) outside it.</summary>
    [KernelFunction]
    public static float Pixel(ArrayView<byte> images, int offset, int row, int column, int height, int width)
    {
        bool inside = row >= 0 && row < height && column >= 0 && column < width;
        return inside ? (float)images[offset + row * width + column] : 0f;
    }

    /// <summary>
    /// x[b, 0, r, c] = (image(sx, sy) / 255 − mean) / std, where image is sample b's (indices[start + b]) read bilinearly
    /// and (sx, sy) is output pixel (c, r) taken back through the sample's transform: about the image's centre
    /// (cx, cy) = ((width − 1) / 2, (height − 1) / 2), the output is the source turned by θ, scaled by s and moved by
    /// (dx, dy), so (sx, sy) = centre + R(−θ)·((c, r) − centre − (dx, dy)) / s, with
    /// key = Mix(stepKey ^ b) (stepKey = <see cref="AffineGather.StepKey"/>(seed, step)), θ = maxRadians·U(0), s = 1 + maxScale·U(1),
    /// dx = maxShift·U(2), dy = maxShift·U(3), U = <see cref="Uniform"/>.
    /// y[b] = labels[source]. index = (c, r, b) over (width, height, batch).
    /// </summary>
    [Kernel]
    public static void GatherAffine(Index3D index, ArrayView<byte> images, ArrayView<int> labels, ArrayView<int> indices, ArrayView<float> x,
        ArrayView<int> y, int start, int height, int width, float mean, float std, float maxRadians, float maxScale, float maxShift, uint stepKey)
    {
        int c = index.X;
        int r = index.Y;
        int b = index.Z;
        int source = indices[start + b];
        float raw = Resample(images, source, c, r, b, height, width, maxRadians, maxScale, maxShift, stepKey, 0f, 0f);
        x[(b * height + r) * width + c] = (raw / 255f - mean) / std;
        if (r == 0 && c == 0)
        {
            y[b] = labels[source];
        }
    }

    /// <summary>
    /// As <see cref="GatherAffine"/>, with displacement[b, 0, r, c] added to sx and displacement[b, 1, r, c] to sy:
    /// the affine transform and an elastic distortion (<see cref="ElasticKernels"/>) in one bilinear read.
    /// displacement: (batch, 2, height, width). indices starts at the batch's first sample (the host passes the view
    /// from start on: the kernel has no parameter left for it).
    /// </summary>
    [Kernel]
    public static void GatherAffineDisplaced(Index3D index, ArrayView<byte> images, ArrayView<int> labels, ArrayView<int> indices, ArrayView<float> x,
        ArrayView<int> y, ArrayView<float> displacement, int height, int width, float mean, float std, float maxRadians, float maxScale, float maxShift,
        uint stepKey)
    {
        int c = index.X;
        int r = index.Y;
        int b = index.Z;
        int pixels = height * width;
        int source = indices[b];
        int at = 2 * b * pixels + r * width + c;
        float raw = Resample(images, source, c, r, b, height, width, maxRadians, maxScale, maxShift, stepKey, displacement[at], displacement[at + pixels]);
        x[(b * height + r) * width + c] = (raw / 255f - mean) / std;
        if (r == 0 && c == 0)
        {
            y[b] = labels[source];
        }
    }

    /// <summary>
    /// Output pixel (c, r) of sample b: image <paramref name="source"/> read bilinearly at the sample's affine source
    /// coordinates (see <see cref="GatherAffine"/>) plus (du, dv), as a byte value in [0, 255].
    /// </summary>
    [KernelFunction]
    public static float Resample(ArrayView<byte> images, int source, int c, int r, int b, int height, int width, float maxRadians, float maxScale,
        float maxShift, uint stepKey, float du, float dv)
    {
        // Every lane of a sample draws its transform again: a few hashes and a sine, cheaper than a pass through memory.
        uint key = CounterHash.Mix(stepKey ^ (uint)b);
        float angle = maxRadians * Uniform(key, 0u);
        float scale = 1f + maxScale * Uniform(key, 1u);
        float dx = maxShift * Uniform(key, 2u);
        float dy = maxShift * Uniform(key, 3u);
        float cosine = MathF.Cos(angle);
        float sine = MathF.Sin(angle);
        float cx = 0.5f * (width - 1);
        float cy = 0.5f * (height - 1);
        float u = ((float)c - cx - dx) / scale;
        float v = ((float)r - cy - dy) / scale;
        // Clamped to a pixel beyond each border, where every tap reads background anyway: a scale near 0, a shift of
        // millions or a huge displacement would otherwise leave the int conversion's range (undefined in C). A
        // displacement of ±0 leaves the coordinate exactly as it was.
        float sx = MathF.Min(MathF.Max(cx + cosine * u + sine * v + du, -2f), (float)width + 1f);
        float sy = MathF.Min(MathF.Max(cy - sine * u + cosine * v + dv, -2f), (float)height + 1f);
        float left = MathF.Floor(sx);
        float up = MathF.Floor(sy);
        int x0 = (int)left;
        int y0 = (int)up;
        float wx = sx - left;
        float wy = sy - up;
        int offset = source * height * width;
        float top = (1f - wx) * Pixel(images, offset, y0, x0, height, width) + wx * Pixel(images, offset, y0, x0 + 1, height, width);
        float bottom = (1f - wx) * Pixel(images, offset, y0 + 1, x0, height, width) + wx * Pixel(images, offset, y0 + 1, x0 + 1, height, width);
        return (1f - wy) * top + wy * bottom;
    }
}
