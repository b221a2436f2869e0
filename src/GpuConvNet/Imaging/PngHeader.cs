namespace GpuConvNet.Imaging;

/// <summary>The fields of a PNG's IHDR chunk that decoding needs.</summary>
internal readonly record struct PngHeader(int Width, int Height, int BitDepth, int ColorType)
{
    /// <summary>Samples per pixel: 1 gray, 3 RGB, 1 palette index, 2 gray+alpha, 4 RGBA.</summary>
    public int SamplesPerPixel => ColorType switch
    {
        0 or 3 => 1,
        2 => 3,
        4 => 2,
        _ => 4,
    };

    /// <summary>Bytes per complete pixel for filtering: at least 1, even when pixels are packed into bits.</summary>
    public int FilterBytesPerPixel => Math.Max(1, SamplesPerPixel * BitDepth / 8);

    /// <summary>Bytes of one unfiltered row (without its filter-type byte).</summary>
    public int RowBytes => (int)(((long)Width * SamplesPerPixel * BitDepth + 7) / 8);

    /// <summary>Whether <see cref="BitDepth"/> is allowed for <see cref="ColorType"/> by the PNG specification.</summary>
    public bool IsValidCombination => ColorType switch
    {
        0 => BitDepth is 1 or 2 or 4 or 8 or 16,
        3 => BitDepth is 1 or 2 or 4 or 8,
        2 or 4 or 6 => BitDepth is 8 or 16,
        _ => false,
    };

    /// <summary>The colour type in words, for messages.</summary>
    public string ColorTypeName => ColorType switch
    {
        0 => "grayscale",
        2 => "RGB",
        3 => "palette",
        4 => "grayscale+alpha",
        6 => "RGBA",
        _ => $"unknown colour type {ColorType}",
    };
}
