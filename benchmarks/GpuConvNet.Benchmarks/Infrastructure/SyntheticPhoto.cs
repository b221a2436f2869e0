using GpuConvNet.Imaging;
using SkiaSharp;

namespace GpuConvNet.Benchmarks.Infrastructure;

/// <summary>
/// Pictures like a phone's photo of a digit on paper: grey-white paper with sensor noise and a vignette, a dark
/// hand-drawn "3" in the middle. Noise keeps JPEG and PNG from compressing it to nothing, as with real photos.
/// </summary>
public static class SyntheticPhoto
{
    /// <summary>The photo as a JPEG of quality 90.</summary>
    public static byte[] Jpeg(int width, int height) => Encode(width, height, SKEncodedImageFormat.Jpeg, 90);

    /// <summary>The photo as a PNG.</summary>
    public static byte[] Png(int width, int height) => PngFile.Encode(Render(width, height));

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format, int quality)
    {
        var raster = Render(width, height);
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var handle = System.Runtime.InteropServices.GCHandle.Alloc(raster.Pixels, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), width * 4);
            using var data = pixmap.Encode(format, quality)!;
            return data.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }

    private static Raster Render(int width, int height)
    {
        var pixels = new byte[width * height * 4];
        var random = new Random(12);
        double cx = width / 2.0, cy = height / 2.0, r = Math.Min(width, height) * 0.3, stroke = r * 0.12;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double dx = (x - cx) / r, dy = (y - cy) / r;
                double vignette = 1 - 0.15 * (dx * dx + dy * dy) / 4;
                // A "3": the right halves of two circles stacked, drawn as rings.
                double upper = Math.Abs(Math.Sqrt(dx * dx + (dy + 0.5) * (dy + 0.5)) - 0.5);
                double lower = Math.Abs(Math.Sqrt(dx * dx + (dy - 0.5) * (dy - 0.5)) - 0.5);
                bool ink = dx > -0.25 && Math.Min(upper, lower) * r < stroke / 2;
                double level = (ink ? 40 : 225 * vignette) + random.Next(-6, 7);
                byte v = (byte)Math.Clamp(level, 0, 255);
                int at = 4 * (y * width + x);
                pixels[at] = v;
                pixels[at + 1] = v;
                pixels[at + 2] = (byte)Math.Clamp(v - 4, 0, 255);
                pixels[at + 3] = 255;
            }
        }
        return new Raster(width, height, PixelLayout.Rgba, pixels);
    }
}
