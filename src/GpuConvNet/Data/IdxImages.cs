namespace GpuConvNet.Data;

/// <summary>
/// The contents of an IDX images file (magic 0x00000803): <see cref="Count"/> images of <see cref="Rows"/> ×
/// <see cref="Cols"/> unsigned bytes, row-major, one image after another.
/// </summary>
public sealed class IdxImages
{
    /// <summary>Wraps <paramref name="pixels"/>, which must hold exactly count × rows × cols bytes.</summary>
    public IdxImages(int count, int rows, int cols, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        if ((long)count * rows * cols != pixels.Length)
        {
            throw new ArgumentException($"{count} images of {rows}×{cols} need {(long)count * rows * cols} bytes, got {pixels.Length}", nameof(pixels));
        }
        Count = count;
        Rows = rows;
        Cols = cols;
        Pixels = pixels;
    }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Rows (height) of each image.</summary>
    public int Rows { get; }

    /// <summary>Columns (width) of each image.</summary>
    public int Cols { get; }

    /// <summary>Bytes per image: <see cref="Rows"/> × <see cref="Cols"/>.</summary>
    public int PixelsPerImage => Rows * Cols;

    /// <summary>All pixels, image after image, 0 = background, 255 = full ink.</summary>
    public byte[] Pixels { get; }

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }
}
