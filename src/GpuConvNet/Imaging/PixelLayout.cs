namespace GpuConvNet.Imaging;

/// <summary>The channels of a <see cref="Raster"/>'s pixels, 8 bits each; the value is the channel count.</summary>
public enum PixelLayout
{
    /// <summary>One byte per pixel: luminance.</summary>
    Gray = 1,

    /// <summary>Two bytes per pixel: luminance, then alpha (0 = transparent).</summary>
    GrayAlpha = 2,

    /// <summary>Three bytes per pixel: red, green, blue.</summary>
    Rgb = 3,

    /// <summary>Four bytes per pixel: red, green, blue, alpha (0 = transparent).</summary>
    Rgba = 4,
}
