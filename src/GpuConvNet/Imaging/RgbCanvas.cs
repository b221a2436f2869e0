namespace GpuConvNet.Imaging;

/// <summary>An RGB drawing surface for the image writers: rectangles, gray images and (through <see cref="PixelFont"/>) text. Drawing outside it is clipped.</summary>
internal sealed class RgbCanvas
{
    private readonly byte[] pixels;

    /// <summary>A canvas filled with <paramref name="background"/>.</summary>
    public RgbCanvas(int width, int height, Rgb background)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        pixels = new byte[checked(width * height * 3)];
        FillRectangle(0, 0, width, height, background);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Fills the rectangle at (<paramref name="x"/>, <paramref name="y"/>) of the given size.</summary>
    public void FillRectangle(int x, int y, int width, int height, Rgb color)
    {
        int x0 = Math.Max(0, x), y0 = Math.Max(0, y);
        int x1 = Math.Min(Width, x + width), y1 = Math.Min(Height, y + height);
        for (int row = y0; row < y1; row++)
        {
            for (int column = x0; column < x1; column++)
            {
                int at = (row * Width + column) * 3;
                pixels[at] = color.R;
                pixels[at + 1] = color.G;
                pixels[at + 2] = color.B;
            }
        }
    }

    /// <summary>Draws a gray image, each pixel as a <paramref name="scale"/>×<paramref name="scale"/> square, top-left at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public void DrawGray(int x, int y, ReadOnlySpan<byte> gray, int width, int height, int scale)
    {
        for (int row = 0; row < height; row++)
        {
            for (int column = 0; column < width; column++)
            {
                FillRectangle(x + column * scale, y + row * scale, scale, scale, Rgb.Gray(gray[row * width + column]));
            }
        }
    }

    /// <summary>The canvas as an RGB raster (a copy).</summary>
    public Raster ToRaster() => new(Width, Height, PixelLayout.Rgb, (byte[])pixels.Clone());
}
