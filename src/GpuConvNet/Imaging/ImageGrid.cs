namespace GpuConvNet.Imaging;

/// <summary>
/// Lays out gray images (MNIST digits by default) in a grid with a caption under each, as a PNG: sample images with
/// their labels, or misclassified test images captioned like "7→2 99%". Captions use a built-in 5×7 pixel font with
/// digits, A–Z, space and . , : - + = / % ( ) ? ! _ ' &lt; &gt; # * →.
/// </summary>
public static class ImageGrid
{
    private const int Gap = 4;
    private static readonly Rgb Background = Rgb.Gray(40);
    private static readonly Rgb CaptionColor = Rgb.Gray(230);
    private static readonly Rgb HighlightColor = new(255, 110, 110);

    /// <summary>
    /// Renders <paramref name="cells"/> row by row, <paramref name="columns"/> per row, each image
    /// <paramref name="imageWidth"/> × <paramref name="imageHeight"/> drawn at <paramref name="scale"/> pixels per pixel.
    /// Cells are wide enough for the longest caption.
    /// </summary>
    public static Raster Render(IReadOnlyList<GridCell> cells, int columns = 10, int scale = 2, int imageWidth = 28, int imageHeight = 28)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageHeight);
        if (cells.Count == 0)
        {
            throw new ArgumentException("there are no images to lay out", nameof(cells));
        }
        foreach (var cell in cells)
        {
            if (cell.Pixels.Length != imageWidth * imageHeight)
            {
                throw new ArgumentException($"an image has {cell.Pixels.Length} pixels, not {imageWidth}×{imageHeight}", nameof(cells));
            }
        }
        int captionWidth = cells.Max(c => PixelFont.Measure(c.Caption));
        int cellWidth = Math.Max(imageWidth * scale, captionWidth);
        int cellHeight = imageHeight * scale + 2 + PixelFont.GlyphHeight;
        columns = Math.Min(columns, cells.Count);
        int rows = (cells.Count + columns - 1) / columns;
        var canvas = new RgbCanvas(Gap + columns * (cellWidth + Gap), Gap + rows * (cellHeight + Gap), Background);
        for (int i = 0; i < cells.Count; i++)
        {
            int x = Gap + i % columns * (cellWidth + Gap);
            int y = Gap + i / columns * (cellHeight + Gap);
            var cell = cells[i];
            canvas.DrawGray(x + (cellWidth - imageWidth * scale) / 2, y, cell.Pixels, imageWidth, imageHeight, scale);
            int textWidth = PixelFont.Measure(cell.Caption);
            PixelFont.Draw(canvas, x + (cellWidth - textWidth) / 2, y + imageHeight * scale + 2, cell.Caption, cell.Highlight ? HighlightColor : CaptionColor);
        }
        return canvas.ToRaster();
    }

    /// <summary>Renders the grid (see <see cref="Render"/>) and writes it as a PNG at <paramref name="path"/>.</summary>
    /// <exception cref="UserInputException">The file cannot be written.</exception>
    public static void Write(string path, IReadOnlyList<GridCell> cells, int columns = 10, int scale = 2, int imageWidth = 28, int imageHeight = 28) =>
        PngEncoder.Write(path, Render(cells, columns, scale, imageWidth, imageHeight));
}
