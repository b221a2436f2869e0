namespace GpuConvNet.Data;

/// <summary>
/// One labelled split of MNIST (or any IDX image/label pair): <see cref="Count"/> images of
/// <see cref="Rows"/> × <see cref="Cols"/> bytes and one label per image.
/// </summary>
public sealed class LabeledImages
{
    /// <summary>Pairs <paramref name="images"/> with <paramref name="labels"/>; the counts must agree.</summary>
    public LabeledImages(IdxImages images, byte[] labels)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Count != labels.Length)
        {
            throw new ArgumentException($"{images.Count} images but {labels.Length} labels", nameof(labels));
        }
        Count = images.Count;
        Rows = images.Rows;
        Cols = images.Cols;
        Images = images.Pixels;
        Labels = labels;
    }

    /// <summary>Number of labelled images.</summary>
    public int Count { get; }

    /// <summary>Rows (height) of each image: 28 for MNIST.</summary>
    public int Rows { get; }

    /// <summary>Columns (width) of each image: 28 for MNIST.</summary>
    public int Cols { get; }

    /// <summary>Bytes per image: <see cref="Rows"/> × <see cref="Cols"/> (784 for MNIST).</summary>
    public int PixelsPerImage => Rows * Cols;

    /// <summary>Count × rows × cols pixels, image after image, row-major; 0 = background, 255 = full ink.</summary>
    public byte[] Images { get; }

    /// <summary>The class of each image, 0..9 for MNIST.</summary>
    public byte[] Labels { get; }

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Images.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }
}
