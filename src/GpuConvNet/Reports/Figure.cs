using GpuConvNet.Imaging;
using ScottPlot;
using SkiaSharp;

namespace GpuConvNet.Reports;

/// <summary>
/// One or more ScottPlot plots side by side, saved as PNG and SVG with the embedded font (see
/// <see cref="EmbeddedFont"/>), so labels, ticks and legends render on machines without system fonts.
/// </summary>
public sealed class Figure
{
    private static readonly Lock FontGate = new();

    /// <summary>The colour of a figure's first series (matplotlib's first, which plot readers know): training, precision.</summary>
    public static Color First { get; } = Color.FromHex("#1f77b4");

    /// <summary>The colour of a figure's second series: validation, recall.</summary>
    public static Color Second { get; } = Color.FromHex("#ff7f0e");
    private static bool fontRegistered;
    private readonly Plot[] panels;

    /// <summary>A figure of <paramref name="panels"/>, left to right, each <paramref name="panelWidth"/> × <paramref name="height"/> pixels.</summary>
    public Figure(int panelWidth, int height, params Plot[] panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        ArgumentOutOfRangeException.ThrowIfZero(panels.Length, nameof(panels));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(panelWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        this.panels = panels;
        Width = panelWidth * panels.Length;
        Height = height;
    }

    /// <summary>The panels, left to right; once rendered, their coordinates map to the figure's pixels.</summary>
    public IReadOnlyList<Plot> Panels => panels;

    /// <summary>Pixels across.</summary>
    public int Width { get; }

    /// <summary>Pixels down.</summary>
    public int Height { get; }

    /// <summary>A new plot whose text uses the embedded font.</summary>
    public static Plot NewPlot()
    {
        lock (FontGate)
        {
            if (!fontRegistered)
            {
                // ScottPlot asks its resolvers for a typeface by name; ours answers every name with the embedded one.
                Fonts.FontResolvers.Insert(0, new EmbeddedFontResolver());
                Fonts.Default = EmbeddedFont.FamilyName;
                fontRegistered = true;
            }
        }
        return new Plot();
    }

    /// <summary>The figure's pixels.</summary>
    public Raster Render() => SkiaDrawing.Render(Width, Height, SKColors.White, Draw);

    /// <summary>Writes <c><paramref name="pathWithoutExtension"/>.png</c> and <c>.svg</c>; returns both paths.</summary>
    /// <exception cref="UserInputException">A file cannot be written.</exception>
    public IReadOnlyList<string> Save(string pathWithoutExtension)
    {
        string png = pathWithoutExtension + ".png";
        PngFile.Write(png, Render());
        string svg = pathWithoutExtension + ".svg";
        using var buffer = new MemoryStream();
        // The SVG canvas writes its document when disposed.
        using (var canvas = SKSvgCanvas.Create(SKRect.Create(Width, Height), buffer))
        {
            canvas.Clear(SKColors.White);
            Draw(canvas);
        }
        AtomicFile.Write(svg, stream => buffer.WriteTo(stream), "plot");
        return [png, svg];
    }

    private void Draw(SKCanvas canvas)
    {
        var multiplot = new Multiplot(panels[0]);
        foreach (var panel in panels.Skip(1))
        {
            multiplot.Subplots.Add(panel);
        }
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        multiplot.Render(canvas, new PixelRect(0, Width, Height, 0));
    }

    private sealed class EmbeddedFontResolver : IFontResolver
    {
        public SKTypeface CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) => EmbeddedFont.Typeface;

        public SKTypeface CreateTypeface(string fontName, bool bold, bool italic) => EmbeddedFont.Typeface;
    }
}
