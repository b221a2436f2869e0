using System.Runtime.InteropServices;
using SkiaSharp;

namespace GpuConvNet.Imaging;

/// <summary>Writes PNG files through SkiaSharp's encoder, atomically.</summary>
public static class PngFile
{
    /// <summary>Writes <paramref name="image"/> as a PNG at <paramref name="path"/> (any layout; gray stays gray).</summary>
    /// <exception cref="UserInputException">The file cannot be written.</exception>
    public static void Write(string path, Raster image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Write(path, Encode(image));
    }

    /// <summary>Writes what <paramref name="surface"/> shows as a PNG at <paramref name="path"/>.</summary>
    public static void Write(string path, SKSurface surface)
    {
        ArgumentNullException.ThrowIfNull(surface);
        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        Write(path, png.ToArray());
    }

    /// <summary>The PNG bytes of <paramref name="image"/>.</summary>
    public static byte[] Encode(Raster image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (colorType, alphaType, pixels) = image.Layout switch
        {
            PixelLayout.Gray => (SKColorType.Gray8, SKAlphaType.Opaque, image.Pixels),
            PixelLayout.Rgba => (SKColorType.Rgba8888, SKAlphaType.Unpremul, image.Pixels),
            _ => (SKColorType.Rgba8888, SKAlphaType.Unpremul, ToRgba(image)),
        };
        var info = new SKImageInfo(image.Width, image.Height, colorType, alphaType);
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            using var png = pixmap.Encode(SKEncodedImageFormat.Png, 100)
                ?? throw new InvalidOperationException($"SkiaSharp could not encode a {image.Width}×{image.Height} {image.Layout} image as PNG");
            return png.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }

    private static void Write(string path, byte[] png) => AtomicFile.Write(path, stream => stream.Write(png), "image");

    private static byte[] ToRgba(Raster image)
    {
        int n = image.Width * image.Height;
        var rgba = new byte[n * 4];
        var p = image.Pixels;
        for (int i = 0; i < n; i++)
        {
            switch (image.Layout)
            {
                case PixelLayout.GrayAlpha:
                    rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = p[2 * i];
                    rgba[4 * i + 3] = p[2 * i + 1];
                    break;
                default:
                    rgba[4 * i] = p[3 * i];
                    rgba[4 * i + 1] = p[3 * i + 1];
                    rgba[4 * i + 2] = p[3 * i + 2];
                    rgba[4 * i + 3] = 255;
                    break;
            }
        }
        return rgba;
    }
}
