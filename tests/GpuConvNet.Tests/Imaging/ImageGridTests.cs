using GpuConvNet.Imaging;
using GpuConvNet.Tests.Data;

namespace GpuConvNet.Tests.Imaging;

/// <summary>The captioned image grid and the confusion-matrix heat map, drawn with SkiaSharp and the embedded font.</summary>
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

        // Cells are 56 px wide (the captions are narrower), 4 px apart; three rows of images with a caption line each.
        Assert.AreEqual(4 + 5 * (56 + 4), grid.Width);
        Assert.AreEqual((255, 255, 255), PixelPosition(grid, 4, 4), "image 0's lit pixel, drawn 2×2");
        Assert.AreEqual((255, 255, 255), PixelPosition(grid, 5, 5));
        Assert.AreEqual((0, 0, 0), PixelPosition(grid, 6, 6), "image 0's background");
        int rowHeight = (grid.Height - 4) / 3;
        Assert.IsGreaterThan(56 + 8, rowHeight, "room for a caption under each image");
        // Captions: light text under image 0, red text under the highlighted image 5 (second row, first column).
        Assert.IsGreaterThan(5, CountPixels(grid, 4, 4 + 56 + 1, 60, rowHeight - 57, (r, g, b) => r > 150 && g > 150 && b > 150), "caption 0 is drawn");
        Assert.IsGreaterThan(5, CountPixels(grid, 4, 4 + rowHeight + 57, 60, rowHeight - 57, (r, g, b) => r > 150 && g < r - 60), "the highlighted caption is red");
    }

    [TestMethod]
    public void Render_LongCaptions_WidenTheCells()
    {
        var narrow = ImageGrid.Render([new GridCell(new byte[784], "7")], scale: 1);
        var wide = ImageGrid.Render([new GridCell(new byte[784], "a caption much wider than the image")], scale: 1);
        Assert.AreEqual(4 + 28 + 4, narrow.Width);
        Assert.IsGreaterThan(150, wide.Width);
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
    public void ConfusionMatrix_ShadesByCount_DarkestForTheLargest_AndWritesItsLabels()
    {
        var counts = SampleConfusion();
        var image = ConfusionMatrixImage.Render(counts);
        Assert.IsGreaterThan(0, CountPixels(image, 0, 0, image.Width, image.Height, (r, g, b) => (r, g, b) == (8, 48, 107)), "the largest count gets the darkest shade");
        Assert.IsGreaterThan(10 * 21, image.Width);
        // "predicted" across the top: dark text pixels above the grid.
        Assert.IsGreaterThan(20, CountPixels(image, 0, 0, image.Width, 20, (r, g, b) => r < 100 && g < 100 && b < 100), "the title is drawn");
    }

    [TestMethod]
    public void ConfusionMatrix_NotSquare_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => ConfusionMatrixImage.Render(new int[2, 3]));
        Assert.ThrowsExactly<ArgumentException>(() => ConfusionMatrixImage.Render(new int[2, 2], ["a"]));
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

    /// <summary>The RGB of an RGBA raster's pixel.</summary>
    internal static (int R, int G, int B) PixelPosition(Raster image, int x, int y)
    {
        int at = (y * image.Width + x) * image.Channels;
        return (image.Pixels[at], image.Pixels[at + 1], image.Pixels[at + 2]);
    }

    /// <summary>How many pixels of the rectangle satisfy <paramref name="test"/> (on their RGB).</summary>
    internal static int CountPixels(Raster image, int left, int top, int width, int height, Func<int, int, int, bool> test)
    {
        int count = 0;
        for (int y = Math.Max(0, top); y < Math.Min(image.Height, top + height); y++)
        {
            for (int x = Math.Max(0, left); x < Math.Min(image.Width, left + width); x++)
            {
                var (r, g, b) = PixelPosition(image, x, y);
                count += test(r, g, b) ? 1 : 0;
            }
        }
        return count;
    }
}
