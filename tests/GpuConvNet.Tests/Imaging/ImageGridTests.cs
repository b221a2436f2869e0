using GpuConvNet.Imaging;
using GpuConvNet.Tests.Data;

namespace GpuConvNet.Tests.Imaging;

/// <summary>The captioned image grid, the confusion-matrix heat map and the pixel font they use.</summary>
[TestClass]
public sealed class ImageGridTests
{
    [TestMethod]
    public void Render_TwelveCellsInFiveColumns_HasThreeRowsWithImagesAndCaptions()
    {
        var cells = Enumerable.Range(0, 12).Select(i =>
        {
            var pixels = new byte[28 * 28];
            pixels[0] = 255;   // top-left pixel of each image lit
            return new GridCell(pixels, i == 5 ? "7→2 99%" : i.ToString(System.Globalization.CultureInfo.InvariantCulture), Highlight: i == 5);
        }).ToList();

        var grid = ImageGrid.Render(cells, columns: 5, scale: 2);

        // Cells: 56 px wide (captions are narrower), 56 + 2 + 7 = 65 px tall, 4 px gaps.
        Assert.AreEqual(4 + 5 * (56 + 4), grid.Width);
        Assert.AreEqual(4 + 3 * (65 + 4), grid.Height);
        Assert.AreEqual(PixelLayout.Rgb, grid.Layout);
        CollectionAssert.AreEqual(new byte[] { 255, 255, 255 }, Pixel(grid, 4, 4), "image 0's lit pixel, drawn 2×2");
        CollectionAssert.AreEqual(new byte[] { 255, 255, 255 }, Pixel(grid, 5, 5));
        CollectionAssert.AreEqual(new byte[] { 0, 0, 0 }, Pixel(grid, 6, 6), "image 0's background");
        Assert.IsTrue(HasColour(grid, 255, 110, 110), "the highlighted caption is red");
    }

    [TestMethod]
    public void Render_LongCaptions_WidenTheCells()
    {
        var grid = ImageGrid.Render([new GridCell(new byte[784], "A LONG CAPTION")], scale: 1);
        Assert.AreEqual(4 + PixelFont.Measure("A LONG CAPTION") + 4, grid.Width);
    }

    [TestMethod]
    public void Render_WrongImageSize_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => ImageGrid.Render([new GridCell(new byte[10], "x")]));
    }

    [TestMethod]
    public void Write_GridAndConfusionMatrix_AreReadableMatchingPngs()
    {
        using var dir = new TempDirectory();
        var cells = Enumerable.Range(0, 10).Select(i => new GridCell(Enumerable.Range(0, 784).Select(p => (byte)(p * i)).ToArray(), $"{i}→{9 - i} {90 + i}%", i % 3 == 0)).ToList();
        string gridPath = Path.Combine(dir.Path, "grid.png");
        ImageGrid.Write(gridPath, cells, columns: 5);
        CollectionAssert.AreEqual(ImageGrid.Render(cells, columns: 5).Pixels, ImageFile.Read(gridPath).Pixels);

        var counts = SampleConfusion();
        string matrixPath = Path.Combine(dir.Path, "confusion.png");
        ConfusionMatrixImage.Write(matrixPath, counts);
        CollectionAssert.AreEqual(ConfusionMatrixImage.Render(counts).Pixels, ImageFile.Read(matrixPath).Pixels);
    }

    [TestMethod]
    public void ConfusionMatrix_ShadesByCount_DarkestForTheLargest()
    {
        var counts = SampleConfusion();
        var image = ConfusionMatrixImage.Render(counts);
        Assert.IsTrue(HasColour(image, 8, 48, 107), "the largest count gets the darkest shade");
        Assert.IsTrue(HasColour(image, 255, 255, 255), "zero counts stay white");
        Assert.IsGreaterThan(10 * 21, image.Width);
    }

    [TestMethod]
    public void ConfusionMatrix_NotSquare_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => ConfusionMatrixImage.Render(new int[2, 3]));
        Assert.ThrowsExactly<ArgumentException>(() => ConfusionMatrixImage.Render(new int[2, 2], ["a"]));
    }

    [TestMethod]
    public void PixelFont_MeasuresAndKnowsCaptionCharacters()
    {
        Assert.AreEqual(0, PixelFont.Measure(""));
        Assert.AreEqual(5, PixelFont.Measure("7"));
        Assert.AreEqual(41, PixelFont.Measure("7→2 99%"));
        foreach (char c in "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,:-+=/%()?!_'<>#*→")
        {
            Assert.IsTrue(PixelFont.Supports(c), $"'{c}'");
        }
        Assert.IsFalse(PixelFont.Supports('€'));
    }

    internal static int[,] SampleConfusion()
    {
        var counts = new int[10, 10];
        for (int c = 0; c < 10; c++)
        {
            counts[c, c] = 950 + 20 * c;
        }
        counts[4, 9] = 17;
        counts[7, 2] = 9;
        counts[3, 5] = 1;
        return counts;
    }

    private static byte[] Pixel(Raster image, int x, int y) => image.Pixels.AsSpan((y * image.Width + x) * 3, 3).ToArray();

    private static bool HasColour(Raster image, byte r, byte g, byte b)
    {
        for (int i = 0; i < image.Pixels.Length; i += 3)
        {
            if (image.Pixels[i] == r && image.Pixels[i + 1] == g && image.Pixels[i + 2] == b)
            {
                return true;
            }
        }
        return false;
    }
}
