using System.Runtime.InteropServices;
using SkiaSharp;

namespace GpuConvNet.Imaging;

/// <summary>Small helpers for pictures drawn with SkiaSharp: an opaque canvas read back as a <see cref="Raster"/>, text, gray images.</summary>
internal static class SkiaDrawing
{
    /// <summary>Draws on an opaque <paramref name="width"/> × <paramref name="height"/> canvas; returns its RGBA pixels.</summary>
    public static Raster Render(int width, int height, SKColor background, Action<SKCanvas> draw)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(background);
            draw(canvas);
        }
        // Opaque everywhere, so premultiplied bytes are the plain ones.
        return new Raster(width, height, PixelLayout.Rgba, bitmap.Bytes);
    }

    /// <summary>Width of <paramref name="text"/> in <paramref name="font"/>, rounded up to whole pixels.</summary>
    public static int Measure(SKFont font, string text) => (int)Math.Ceiling(font.MeasureText(text));

    /// <summary>Draws <paramref name="text"/> with its top-left corner near (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public static void Text(SKCanvas canvas, SKFont font, string text, float x, float y, SKColor colour)
    {
        using var paint = new SKPaint { Color = colour, IsAntialias = true };
        // Skia places text by its baseline: move down by the ascent (negative above the baseline).
        canvas.DrawText(text, x, y - font.Metrics.Ascent, SKTextAlign.Left, font, paint);
    }

    /// <summary>Line height of <paramref name="font"/> in whole pixels.</summary>
    public static int LineHeight(SKFont font) => (int)Math.Ceiling(font.Metrics.Descent - font.Metrics.Ascent);

    /// <summary>Draws a gray image (row-major bytes) at (x, y), each pixel as a <paramref name="scale"/>² block.</summary>
    public static void Gray(SKCanvas canvas, byte[] pixels, int width, int height, float x, float y, int scale)
    {
        var info = new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var image = SKImage.FromPixels(new SKPixmap(info, handle.AddrOfPinnedObject(), width));
            canvas.DrawImage(image, SKRect.Create(x, y, width * scale, height * scale), new SKSamplingOptions(SKFilterMode.Nearest));
        }
        finally
        {
            handle.Free();
        }
    }
}
