using SkiaSharp;

namespace GpuConvNet.Imaging;

/// <summary>Turns an image stored with an EXIF orientation (phones store photos sideways and say so) upright.</summary>
public static class Orientation
{
    /// <summary>
    /// <paramref name="image"/> as it should be shown, given that its rows were stored as <paramref name="origin"/>
    /// says (EXIF orientations 1–8): mirrored, rotated by 90°, 180° or 270°, or transposed.
    /// </summary>
    public static Raster ToUpright(Raster image, SKEncodedOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (origin is SKEncodedOrigin.TopLeft)
        {
            return image;
        }
        int w = image.Width, h = image.Height, channels = image.Channels;
        bool swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        int outWidth = swap ? h : w;
        int outHeight = swap ? w : h;
        var pixels = new byte[image.Pixels.Length];
        for (int y = 0; y < outHeight; y++)
        {
            for (int x = 0; x < outWidth; x++)
            {
                // The stored pixel shown at (x, y).
                var (sx, sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (w - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (w - 1 - x, h - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, h - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, h - 1 - x),
                    SKEncodedOrigin.RightBottom => (w - 1 - y, h - 1 - x),
                    SKEncodedOrigin.LeftBottom => (w - 1 - y, x),
                    _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "not an EXIF orientation"),
                };
                image.Pixels.AsSpan((sy * w + sx) * channels, channels).CopyTo(pixels.AsSpan((y * outWidth + x) * channels, channels));
            }
        }
        return new Raster(outWidth, outHeight, image.Layout, pixels);
    }
}
