namespace GpuConvNet.Kernels;

/// <summary>
/// The reference of <see cref="AffineGather"/>: the transform and the bilinear read in double, the random draws from
/// its own copy of the hash.
/// </summary>
public static class AffineGatherReference
{
    /// <summary>
    /// x and y of <see cref="AffineGather.Batch(Compute.Accelerator, Compute.ArrayView{byte}, Compute.ArrayView{int}, Compute.ArrayView{int}, Compute.ArrayView{float}, Compute.ArrayView{int}, int, int, int, int, Normalization, RandomAffine, Compute.ArrayView{float})"/>,
    /// with the same layouts; an empty <paramref name="displacement"/> (the default) is the gather without one.
    /// </summary>
    public static (double[] X, int[] Y) Gather(ReadOnlySpan<byte> images, ReadOnlySpan<int> labels, ReadOnlySpan<int> indices,
        int start, int batch, int height, int width, Normalization normalization, RandomAffine transform, ReadOnlySpan<double> displacement = default)
    {
        int pixels = height * width;
        var x = new double[batch * pixels];
        var y = new int[batch];
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        for (int b = 0; b < batch; b++)
        {
            int source = indices[start + b];
            y[b] = labels[source];
            var (angle, scale, dx, dy) = Transform(transform, b);
            double cosine = Math.Cos(angle), sine = Math.Sin(angle);
            var image = images.Slice(source * pixels, pixels);
            for (int r = 0; r < height; r++)
            {
                for (int c = 0; c < width; c++)
                {
                    double u = (c - cx - dx) / scale, v = (r - cy - dy) / scale;
                    int at = 2 * b * pixels + r * width + c;
                    double du = displacement.IsEmpty ? 0 : displacement[at], dv = displacement.IsEmpty ? 0 : displacement[at + pixels];
                    double raw = Bilinear(image, height, width, cx + cosine * u + sine * v + du, cy - sine * u + cosine * v + dv);
                    x[b * pixels + r * width + c] = (raw / 255.0 - normalization.Mean) / normalization.Std;
                }
            }
        }
        return (x, y);
    }

    /// <summary>
    /// Sample <paramref name="sample"/>'s rotation (radians), scale and translation under <paramref name="transform"/>:
    /// the kernels' hash, written again here in 64-bit arithmetic truncated to 32 bits, so that a slip in either copy
    /// shows as a mismatch; the angle's bound is the kernel's float radians.
    /// </summary>
    public static (double Angle, double Scale, double Dx, double Dy) Transform(RandomAffine transform, int sample)
    {
        ulong key = GatherReference.Mix(GatherReference.Mix(GatherReference.Mix(unchecked((uint)transform.Seed) ^ 0x5bd1e995UL) ^ unchecked((uint)transform.Step)) ^ (uint)sample);
        double Uniform(ulong k) => (GatherReference.Mix(key + k * 0x9e3779b9UL) >> 8) / 8388608.0 - 1.0;
        return (AffineGather.Radians(transform.MaxDegrees) * Uniform(0), 1 + transform.MaxScale * Uniform(1),
            transform.MaxShift * Uniform(2), transform.MaxShift * Uniform(3));
    }

    // Bilinear interpolation between the four pixels around (sx, sy); pixels outside the image are 0.
    private static double Bilinear(ReadOnlySpan<byte> image, int height, int width, double sx, double sy)
    {
        int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
        double wx = sx - x0, wy = sy - y0;
        return (1 - wy) * ((1 - wx) * At(image, height, width, y0, x0) + wx * At(image, height, width, y0, x0 + 1))
            + wy * ((1 - wx) * At(image, height, width, y0 + 1, x0) + wx * At(image, height, width, y0 + 1, x0 + 1));
    }

    private static double At(ReadOnlySpan<byte> image, int height, int width, int row, int column) =>
        row >= 0 && row < height && column >= 0 && column < width ? image[row * width + column] : 0;
}
