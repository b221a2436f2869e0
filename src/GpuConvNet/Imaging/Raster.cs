namespace GpuConvNet.Imaging;

/// <summary>
/// An 8-bit image: <see cref="Height"/> rows of <see cref="Width"/> pixels, each <see cref="Channels"/> bytes as
/// <see cref="Layout"/> says, top row first.
/// </summary>
public sealed class Raster
{
    /// <summary>Wraps <paramref name="pixels"/>, which must hold exactly width × height × channels bytes.</summary>
    public Raster(int width, int height, PixelLayout layout, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (!Enum.IsDefined(layout))
        {
            throw new ArgumentOutOfRangeException(nameof(layout), layout, "not a pixel layout");
        }
        long expected = (long)width * height * (int)layout;
        if (pixels.Length != expected)
        {
            throw new ArgumentException($"a {width}×{height} {layout} image needs {expected} bytes, got {pixels.Length}", nameof(pixels));
        }
        Width = width;
        Height = height;
        Layout = layout;
        Pixels = pixels;
    }

    /// <summary>A black (and, with alpha, transparent) image.</summary>
    public Raster(int width, int height, PixelLayout layout)
        : this(width, height, layout, new byte[checked(width * height * (int)layout)])
    {
    }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>What each pixel's bytes mean.</summary>
    public PixelLayout Layout { get; }

    /// <summary>Bytes per pixel.</summary>
    public int Channels => (int)Layout;

    /// <summary>Bytes per row: <see cref="Width"/> × <see cref="Channels"/>.</summary>
    public int Stride => Width * Channels;

    /// <summary>All samples, row after row.</summary>
    public byte[] Pixels { get; }

    /// <summary>Whether the layout carries an alpha channel.</summary>
    public bool HasAlpha => Layout is PixelLayout.GrayAlpha or PixelLayout.Rgba;

    /// <summary>The luminance of an opaque image as a one-channel image (Rec. 601 weights; alpha ignored).</summary>
    public Raster ToGray()
    {
        if (Layout == PixelLayout.Gray)
        {
            return this;
        }
        var gray = new byte[Width * Height];
        for (int i = 0; i < gray.Length; i++)
        {
            int at = i * Channels;
            gray[i] = Layout == PixelLayout.GrayAlpha
                ? Pixels[at]
                : (byte)Math.Round(0.299 * Pixels[at] + 0.587 * Pixels[at + 1] + 0.114 * Pixels[at + 2]);
        }
        return new Raster(Width, Height, PixelLayout.Gray, gray);
    }
}
