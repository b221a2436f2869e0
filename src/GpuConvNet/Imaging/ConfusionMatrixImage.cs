using System.Globalization;
using SkiaSharp;

namespace GpuConvNet.Imaging;

/// <summary>
/// Draws a confusion matrix as a PNG heat map: one cell per (true class, predicted class), shaded from white to dark
/// blue by its count, the count written in it, true classes down the left and predicted classes along the top.
/// </summary>
public static class ConfusionMatrixImage
{
    private const int Margin = 8;
    private static readonly SKColor Cold = SKColors.White;
    private static readonly SKColor Hot = new(8, 48, 107);
    private static readonly SKColor Ink = new(20, 20, 20);
    private static readonly SKColor Faint = new(190, 190, 190);
    private static readonly SKColor GridLine = new(200, 200, 200);

    /// <summary>
    /// Renders <paramref name="counts"/>[true, predicted] (square). Shade follows √(count / largest count), so the
    /// few errors stay visible beside a large diagonal. <paramref name="classNames"/> label the rows and columns
    /// (default: 0, 1, 2, …).
    /// </summary>
    public static Raster Render(int[,] counts, IReadOnlyList<string>? classNames = null)
    {
        var names = Labels(counts, classNames);
        int n = names.Count;
        int max = Largest(counts);
        using var font = EmbeddedFont.Font(12);
        using var titleFont = EmbeddedFont.Font(13);
        int line = SkiaDrawing.LineHeight(font);
        int cell = Math.Max(line + 14, SkiaDrawing.Measure(font, max.ToString(CultureInfo.InvariantCulture)) + 10);
        int labelWidth = names.Max(s => SkiaDrawing.Measure(font, s));
        const string across = "predicted";
        const string down = "true";
        int titleLine = SkiaDrawing.LineHeight(titleFont);
        int gridLeft = Margin + titleLine + Margin + labelWidth + Margin;
        int gridTop = Margin + titleLine + Margin + line + Margin;
        int width = Math.Max(gridLeft + n * cell, gridLeft + SkiaDrawing.Measure(titleFont, across)) + Margin;
        int height = Math.Max(gridTop + n * cell, gridTop + SkiaDrawing.Measure(titleFont, down)) + Margin;
        return SkiaDrawing.Render(width, height, SKColors.White, canvas =>
        {
            SkiaDrawing.Text(canvas, titleFont, across, gridLeft + (n * cell - titleFont.MeasureText(across)) / 2, Margin, Ink);
            canvas.Save();
            // "true" reads bottom to top along the rows.
            canvas.RotateDegrees(-90, Margin, gridTop + (n * cell + titleFont.MeasureText(down)) / 2);
            SkiaDrawing.Text(canvas, titleFont, down, Margin, gridTop + (n * cell + titleFont.MeasureText(down)) / 2, Ink);
            canvas.Restore();
            for (int c = 0; c < n; c++)
            {
                SkiaDrawing.Text(canvas, font, names[c], gridLeft + c * cell + (cell - font.MeasureText(names[c])) / 2, Margin + titleLine + Margin, Ink);
                SkiaDrawing.Text(canvas, font, names[c], gridLeft - Margin - font.MeasureText(names[c]), gridTop + c * cell + (cell - line) / 2f, Ink);
            }
            using var fill = new SKPaint { Color = GridLine };
            canvas.DrawRect(gridLeft - 1, gridTop - 1, n * cell + 1, n * cell + 1, fill);
            for (int row = 0; row < n; row++)
            {
                for (int column = 0; column < n; column++)
                {
                    int count = counts[row, column];
                    var shade = max == 0 ? Cold : Lerp(Cold, Hot, Math.Sqrt((double)count / max));
                    int x = gridLeft + column * cell;
                    int y = gridTop + row * cell;
                    fill.Color = shade;
                    canvas.DrawRect(x, y, cell - 1, cell - 1, fill);
                    string text = count.ToString(CultureInfo.InvariantCulture);
                    var textColour = count == 0 ? Faint : Luminance(shade) < 0.5 ? SKColors.White : Ink;
                    SkiaDrawing.Text(canvas, font, text, x + (cell - 1 - font.MeasureText(text)) / 2, y + (cell - 1 - line) / 2f, textColour);
                }
            }
        });
    }

    // The names of the rows and columns of a square, non-empty matrix: the classes', or their numbers.
    private static IReadOnlyList<string> Labels(int[,] counts, IReadOnlyList<string>? classNames)
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
        return names;
    }

    private static int Largest(int[,] counts)
    {
        int max = 0;
        foreach (int count in counts)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(counts));
            max = Math.Max(max, count);
        }
        return max;
    }

    /// <summary>Renders the heat map (see <see cref="Render"/>) and writes it as a PNG at <paramref name="path"/>.</summary>
    /// <exception cref="UserInputException">The file cannot be written.</exception>
    public static void Write(string path, int[,] counts, IReadOnlyList<string>? classNames = null) =>
        PngFile.Write(path, Render(counts, classNames));

    private static SKColor Lerp(SKColor from, SKColor to, double t)
    {
        byte Mix(byte a, byte b) => (byte)Math.Round(a + (b - a) * Math.Clamp(t, 0, 1));
        return new SKColor(Mix(from.Red, to.Red), Mix(from.Green, to.Green), Mix(from.Blue, to.Blue));
    }

    private static double Luminance(SKColor c) => (0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue) / 255;
}
