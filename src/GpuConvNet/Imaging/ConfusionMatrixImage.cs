using System.Globalization;

namespace GpuConvNet.Imaging;

/// <summary>
/// Draws a confusion matrix as a PNG heat map: one cell per (true class, predicted class), shaded from white to dark
/// blue by its count, the count written in it, true classes down the left and predicted classes along the top.
/// </summary>
public static class ConfusionMatrixImage
{
    private const int Margin = 6;
    private static readonly Rgb Cold = Rgb.White;
    private static readonly Rgb Hot = new(8, 48, 107);
    private static readonly Rgb Ink = Rgb.Gray(20);
    private static readonly Rgb GridLine = Rgb.Gray(200);

    /// <summary>
    /// Renders <paramref name="counts"/>[true, predicted] (square). Shade follows √(count / largest count), so the
    /// few errors stay visible beside a large diagonal. <paramref name="classNames"/> label the rows and columns
    /// (default: 0, 1, 2, …).
    /// </summary>
    public static Raster Render(int[,] counts, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int n = counts.GetLength(0);
        if (n == 0 || counts.GetLength(1) != n)
        {
            throw new ArgumentException($"a confusion matrix is square and not empty; got {counts.GetLength(0)}×{counts.GetLength(1)}", nameof(counts));
        }
        var names = classNames ?? Enumerable.Range(0, n).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (names.Count != n)
        {
            throw new ArgumentException($"{names.Count} class names for {n} classes", nameof(classNames));
        }
        int max = 0;
        foreach (int count in counts)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(counts));
            max = Math.Max(max, count);
        }

        int widestNumber = PixelFont.Measure(max.ToString(CultureInfo.InvariantCulture));
        int cell = Math.Max(PixelFont.GlyphHeight + 14, widestNumber + 8);
        int labelWidth = names.Max(s => PixelFont.Measure(s));
        const string across = "PREDICTED";
        const string down = "TRUE";
        int gridLeft = Margin + PixelFont.GlyphWidth + Margin + labelWidth + Margin;
        int gridTop = Margin + PixelFont.GlyphHeight + Margin + PixelFont.GlyphHeight + Margin;
        int width = Math.Max(gridLeft + n * cell, gridLeft + PixelFont.Measure(across)) + Margin;
        int height = Math.Max(gridTop + n * cell, gridTop + down.Length * (PixelFont.GlyphHeight + 2)) + Margin;
        var canvas = new RgbCanvas(width, height, Rgb.White);

        PixelFont.Draw(canvas, gridLeft + (n * cell - PixelFont.Measure(across)) / 2, Margin, across, Ink);
        PixelFont.DrawVertical(canvas, Margin, gridTop + (n * cell - down.Length * (PixelFont.GlyphHeight + 2)) / 2, down, Ink);
        for (int c = 0; c < n; c++)
        {
            int columnLabelX = gridLeft + c * cell + (cell - PixelFont.Measure(names[c])) / 2;
            PixelFont.Draw(canvas, columnLabelX, Margin + PixelFont.GlyphHeight + Margin, names[c], Ink);
            int rowLabelY = gridTop + c * cell + (cell - PixelFont.GlyphHeight) / 2;
            PixelFont.Draw(canvas, gridLeft - Margin - PixelFont.Measure(names[c]), rowLabelY, names[c], Ink);
        }
        canvas.FillRectangle(gridLeft - 1, gridTop - 1, n * cell + 1, n * cell + 1, GridLine);
        for (int row = 0; row < n; row++)
        {
            for (int column = 0; column < n; column++)
            {
                int count = counts[row, column];
                var shade = max == 0 ? Cold : Rgb.Lerp(Cold, Hot, Math.Sqrt((double)count / max));
                int x = gridLeft + column * cell;
                int y = gridTop + row * cell;
                canvas.FillRectangle(x, y, cell - 1, cell - 1, shade);
                string text = count.ToString(CultureInfo.InvariantCulture);
                var textColor = count == 0 ? Rgb.Gray(190) : shade.Luminance < 0.5 ? Rgb.White : Ink;
                PixelFont.Draw(canvas, x + (cell - 1 - PixelFont.Measure(text)) / 2, y + (cell - 1 - PixelFont.GlyphHeight) / 2, text, textColor);
            }
        }
        return canvas.ToRaster();
    }

    /// <summary>Renders the heat map (see <see cref="Render"/>) and writes it as a PNG at <paramref name="path"/>.</summary>
    /// <exception cref="UserInputException">The file cannot be written.</exception>
    public static void Write(string path, int[,] counts, IReadOnlyList<string>? classNames = null) =>
        PngEncoder.Write(path, Render(counts, classNames));
}
