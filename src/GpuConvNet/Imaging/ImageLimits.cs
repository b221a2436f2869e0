namespace GpuConvNet.Imaging;

/// <summary>
/// How large an image file may be, checked before decoding (from the file's size and its header), so that a huge or
/// hostile file is refused with a message instead of exhausting memory.
/// </summary>
/// <param name="MaxFileBytes">Largest file read.</param>
/// <param name="MaxPixels">Largest width × height the header may declare (before any shrinking while decoding).</param>
/// <param name="MaxDecodedBytes">Largest decoded bitmap (4 bytes per pixel, after shrinking while decoding).</param>
public sealed record ImageLimits(long MaxFileBytes, long MaxPixels, long MaxDecodedBytes)
{
    /// <summary>
    /// 64 MiB files, 200-megapixel headers, 256 MiB decoded (64 megapixels). Phone photos (12–108 MP JPEGs) pass, as
    /// JPEGs are shrunk by up to 8 while decoding; a PNG is decoded at full size, so it may have up to 64 MP.
    /// </summary>
    public static ImageLimits Default { get; } = new(64L << 20, 200_000_000, 256L << 20);
}
