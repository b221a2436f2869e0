using SkiaSharp;

namespace GpuConvNet.Imaging;

/// <summary>
/// Lays out gray images (MNIST digits by default) in a grid with a caption under each, as a PNG: sample images with
/// their labels, or misclassified test images captioned like "7→2 99%".
/// </summary>
public static class ImageGrid
{
    private const int Gap = 4;
    private const float CaptionSize = 11;
    private static readonly SKColor Background = new(40, 40, 40);
    private static readonly SKColor CaptionColour = new(230, 230, 230);

    /// <summary>The colour of highlighted captions.</summary>
    public static SKColor HighlightColour { get; } = new(255, 110, 110);

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
        using var font = EmbeddedFont.Font(CaptionSize);
        int captionWidth = cells.Max(c => SkiaDrawing.Measure(font, c.Caption));
        int cellWidth = Math.Max(imageWidth * scale, captionWidth);
        int cellHeight = imageHeight * scale + 2 + SkiaDrawing.LineHeight(font);
        columns = Math.Min(columns, cells.Count);
        int rows = (cells.Count + columns - 1) / columns;
        return SkiaDrawing.Render(Gap + columns * (cellWidth + Gap), Gap + rows * (cellHeight + Gap), Background, canvas =>
        {
            for (int i = 0; i < cells.Count; i++)
            {
                int x = Gap + i % columns * (cellWidth + Gap);
                int y = Gap + i / columns * (cellHeight + Gap);
                var cell = cells[i];
                SkiaDrawing.Gray(canvas, cell.Pixels, imageWidth, imageHeight, x + (cellWidth - imageWidth * scale) / 2, y, scale);
                float textX = x + (cellWidth - font.MeasureText(cell.Caption)) / 2;
                SkiaDrawing.Text(canvas, font, cell.Caption, textX, y + imageHeight * scale + 2, cell.Highlight ? HighlightColour : CaptionColour);
            }
        });
    }

    /// <summary>Renders the grid (see <see cref="Render"/>) and writes it as a PNG at <paramref name="path"/>.</summary>
    /// <exception cref="UserInputException">The file cannot be written.</exception>
    public static void Write(string path, IReadOnlyList<GridCell> cells, int columns = 10, int scale = 2, int imageWidth = 28, int imageHeight = 28) =>
        PngFile.Write(path, Render(cells, columns, scale, imageWidth, imageHeight));
}
