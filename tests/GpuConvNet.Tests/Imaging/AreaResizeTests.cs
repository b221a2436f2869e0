using GpuConvNet.Imaging;

namespace GpuConvNet.Tests.Imaging;

/// <summary>Area resizing against a float64 reference that integrates the piecewise-constant source over each footprint.</summary>
[TestClass]
public sealed class AreaResizeTests
{
    [TestMethod]
    [DataRow(4, 2, 2, 1)]      // halving: pairs averaged
    [DataRow(37, 23, 28, 28)]  // shrinking by ratios that are not whole, different per axis
    [DataRow(64, 64, 28, 28)]
    [DataRow(7, 5, 28, 28)]    // enlarging
    [DataRow(28, 28, 28, 28)]  // identity
    [DataRow(1, 9, 3, 2)]
    public void Resize_IsTheMeanOverEachFootprint(int sourceWidth, int sourceHeight, int width, int height)
    {
        var random = new Random(sourceWidth * 1000 + sourceHeight);
        var source = Enumerable.Range(0, sourceWidth * sourceHeight).Select(_ => (float)random.NextDouble()).ToArray();

        var resized = AreaResize.Resize(source, sourceWidth, sourceHeight, width, height);

        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double expected = Reference(source, sourceWidth, sourceHeight, width, height, x, y);
                Assert.AreEqual(expected, resized[y * width + x], 1e-5 + 1e-5 * Math.Abs(expected), $"({x}, {y})");
            }
        }
        if ((sourceWidth, sourceHeight) == (width, height))
        {
            CollectionAssert.AreEqual(source, resized, "the same size changes nothing");
        }
    }

    // ∫∫ source over [x, x+1) × [y, y+1) of the output grid mapped onto the source, divided by the footprint's area.
    private static double Reference(float[] source, int sw, int sh, int w, int h, int x, int y)
    {
        double x0 = (double)x * sw / w, x1 = (double)(x + 1) * sw / w;
        double y0 = (double)y * sh / h, y1 = (double)(y + 1) * sh / h;
        double sum = 0;
        for (int sy = 0; sy < sh; sy++)
        {
            double overlapY = Math.Max(0, Math.Min(y1, sy + 1) - Math.Max(y0, sy));
            for (int sx = 0; sx < sw; sx++)
            {
                double overlapX = Math.Max(0, Math.Min(x1, sx + 1) - Math.Max(x0, sx));
                sum += overlapX * overlapY * source[sy * sw + sx];
            }
        }
        return sum / ((x1 - x0) * (y1 - y0));
    }
}
