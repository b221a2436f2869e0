namespace GpuConvNet.Imaging;

/// <summary>
/// Resizing by area: each output pixel is the mean of the input over its footprint (the input rectangle it covers
/// when both images span the same square), partial input pixels weighted by the overlap. Shrinking averages every
/// pixel (no detail skipped, no aliasing from sampling); enlarging repeats pixels, blending where footprints straddle
/// two. Separable: rows, then columns.
/// </summary>
public static class AreaResize
{
    /// <summary><paramref name="source"/> (<paramref name="sourceWidth"/> × <paramref name="sourceHeight"/>, row-major) at <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static float[] Resize(float[] source, int sourceWidth, int sourceHeight, int width, int height) =>
        Box(source, sourceWidth, 0, 0, sourceWidth, sourceHeight, width, height);

    /// <summary>
    /// The box (<paramref name="left"/>, <paramref name="top"/>, <paramref name="boxWidth"/> × <paramref name="boxHeight"/>)
    /// of a <paramref name="sourceWidth"/>-wide image, resized to <paramref name="width"/> × <paramref name="height"/>.
    /// </summary>
    public static float[] Box(float[] source, int sourceWidth, int left, int top, int boxWidth, int boxHeight, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        var columns = Weights(boxWidth, width);
        var rows = Weights(boxHeight, height);
        var horizontal = new float[boxHeight * width];
        for (int y = 0; y < boxHeight; y++)
        {
            int rowStart = (top + y) * sourceWidth + left;
            for (int x = 0; x < width; x++)
            {
                float sum = 0;
                foreach (var (index, weight) in columns[x])
                {
                    sum += source[rowStart + index] * weight;
                }
                horizontal[y * width + x] = sum;
            }
        }
        var result = new float[height * width];
        for (int y = 0; y < height; y++)
        {
            foreach (var (index, weight) in rows[y])
            {
                for (int x = 0; x < width; x++)
                {
                    result[y * width + x] += horizontal[index * width + x] * weight;
                }
            }
        }
        return result;
    }

    // For each of `outCount` output cells, the source cells it overlaps and the overlap as a share of its footprint.
    private static List<(int Index, float Weight)>[] Weights(int sourceCount, int outCount)
    {
        double footprint = (double)sourceCount / outCount;
        var weights = new List<(int, float)>[outCount];
        for (int o = 0; o < outCount; o++)
        {
            double start = o * footprint;
            double end = start + footprint;
            weights[o] = [];
            for (int s = (int)Math.Floor(start); s < Math.Min(sourceCount, (int)Math.Ceiling(end)); s++)
            {
                double overlap = Math.Min(end, s + 1) - Math.Max(start, s);
                if (overlap > 1e-9)
                {
                    weights[o].Add((s, (float)(overlap / footprint)));
                }
            }
        }
        return weights;
    }
}
