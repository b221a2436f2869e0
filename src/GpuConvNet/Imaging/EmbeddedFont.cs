using SkiaSharp;

namespace GpuConvNet.Imaging;

/// <summary>
/// The typeface of every label the project draws (captions, axis labels, legends): DejaVu Sans, embedded in this
/// assembly so that text renders the same on every machine, including a fresh one without fonts or fontconfig, where
/// SkiaSharp finds no system typeface and draws nothing.
/// </summary>
public static class EmbeddedFont
{
    /// <summary>The family name the typeface reports, which plots ask for.</summary>
    public const string FamilyName = "DejaVu Sans";

    private static readonly Lazy<SKTypeface> Loaded = new(Load);

    /// <summary>The typeface (shared, never disposed).</summary>
    public static SKTypeface Typeface => Loaded.Value;

    /// <summary>A font of the typeface at <paramref name="size"/> pixels, anti-aliased.</summary>
    public static SKFont Font(float size) => new(Typeface, size) { Edging = SKFontEdging.Antialias, Subpixel = true };

    private static SKTypeface Load()
    {
        using var stream = typeof(EmbeddedFont).Assembly.GetManifestResourceStream("GpuConvNet.DejaVuSans.ttf")
            ?? throw new InvalidOperationException("the embedded font GpuConvNet.DejaVuSans.ttf is missing from the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        // SKData.CreateCopy: the typeface outlives the stream.
        using var data = SKData.CreateCopy(copy.ToArray());
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException("SkiaSharp could not load the embedded font");
    }
}
