namespace GpuConvNet.Imaging;

/// <summary>Shrinks large pictures by whole factors, averaging each block of pixels (no detail is skipped, unlike sampling).</summary>
public static class Downscale
{
    /// <summary>
    /// <paramref name="image"/> shrunk by the largest whole factor k that keeps its longer side at least
    /// <paramref name="minSide"/>: each output pixel is the mean of a k × k block (every channel, alpha included).
    /// Edge blocks that do not fit are dropped (less than k pixels). The image itself when k would be 1.
    /// </summary>
    public static Raster ToAtLeast(Raster image, int minSide)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minSide);
        int k = Math.Max(image.Width, image.Height) / minSide;
        if (k <= 1)
        {
            return image;
        }
        int width = Math.Max(1, image.Width / k), height = Math.Max(1, image.Height / k), channels = image.Channels;
        var pixels = new byte[width * height * channels];
        var sums = new int[width * channels];
        int area = k * k;
        for (int y = 0; y < height; y++)
        {
            Array.Clear(sums);
            for (int row = y * k; row < Math.Min(image.Height, (y + 1) * k); row++)
            {
                var source = image.Pixels.AsSpan(row * image.Stride, image.Stride);
                for (int x = 0; x < width; x++)
                {
                    for (int dx = 0; dx < k; dx++)
                    {
                        int at = ((x * k) + dx) * channels;
                        for (int c = 0; c < channels; c++)
                        {
                            sums[x * channels + c] += source[at + c];
                        }
                    }
                }
            }
            for (int i = 0; i < sums.Length; i++)
            {
                pixels[y * width * channels + i] = (byte)((sums[i] + area / 2) / area);
            }
        }
        return new Raster(width, height, image.Layout, pixels);
    }
}
