namespace GpuConvNet.Kernels;

/// <summary>
/// The reference of <see cref="Elastic"/>: the noise from its own copy of the hash, the Gaussian blur in double over
/// the whole truncated window (not separably), zero outside the image.
/// </summary>
public static class ElasticReference
{
    /// <summary>The field of <see cref="Elastic.Field"/>, (batch, 2, height, width).</summary>
    public static double[] Field(int batch, int height, int width, ElasticDistortion distortion, int seed, int step)
    {
        var noise = Noise(batch, height, width, seed, step);
        var taps = Elastic.GaussianTaps(distortion.Sigma);
        int radius = (taps.Length - 1) / 2;
        var field = new double[noise.Length];
        for (int plane = 0; plane < 2 * batch; plane++)
        {
            for (int r = 0; r < height; r++)
            {
                for (int c = 0; c < width; c++)
                {
                    double sum = 0;
                    for (int i = Math.Max(-radius, -r); i <= Math.Min(radius, height - 1 - r); i++)
                    {
                        for (int j = Math.Max(-radius, -c); j <= Math.Min(radius, width - 1 - c); j++)
                        {
                            sum += taps[radius + i] * taps[radius + j] * noise[(plane * height + r + i) * width + c + j];
                        }
                    }
                    field[(plane * height + r) * width + c] = distortion.Alpha * sum;
                }
            }
        }
        return field;
    }

    /// <summary>
    /// The unsmoothed noise, (batch, 2, height, width), uniform in [−1, 1): the kernels' hash written again in 64-bit
    /// arithmetic truncated to 32 bits, so that a slip in either copy shows as a mismatch.
    /// </summary>
    public static double[] Noise(int batch, int height, int width, int seed, int step)
    {
        int pixels = height * width;
        var noise = new double[2 * batch * pixels];
        ulong stepKey = GatherReference.Mix(GatherReference.Mix(unchecked((uint)seed) ^ 0x27d4eb2fUL) ^ unchecked((uint)step));
        for (int b = 0; b < batch; b++)
        {
            ulong key = GatherReference.Mix(stepKey ^ (uint)b);
            for (int k = 0; k < 2 * pixels; k++)
            {
                noise[b * 2 * pixels + k] = (GatherReference.Mix(key + (ulong)k * 0x9e3779b9UL) >> 8) / 8388608.0 - 1.0;
            }
        }
        return noise;
    }
}
