namespace GpuConvNet.Imaging;

/// <summary>
/// Reads image files: PNG (interlaced too), JPEG, BMP, GIF (its first frame), WebP and ICO through SkiaSharp, and PGM
/// (P2/P5, which SkiaSharp lacks and MNIST tools write) with <see cref="PgmReader"/>. The format is recognised by the
/// file's first bytes, not its name; a JPEG's EXIF orientation is applied, so phone photos come out upright.
/// </summary>
public static class ImageFile
{
    /// <summary>
    /// Reads the image at <paramref name="path"/> within <paramref name="limits"/> (default
    /// <see cref="ImageLimits.Default"/>). With <paramref name="shrinkTo"/>, a codec that can decode at a reduced size
    /// (JPEG by 2, 4 or 8; WebP) does so while the longer side stays at least <paramref name="shrinkTo"/> pixels.
    /// </summary>
    /// <exception cref="UserInputException">The file is missing, unreadable, too large, damaged, or not an image.</exception>
    public static Raster Read(string path, ImageLimits? limits = null, int? shrinkTo = null)
    {
        limits ??= ImageLimits.Default;
        var bytes = ReadAllBytes(path, limits.MaxFileBytes);
        return Decode(bytes, path, limits, shrinkTo);
    }

    /// <summary>Decodes the bytes of an image file (see <see cref="Read"/>); <paramref name="name"/> names it in messages.</summary>
    /// <exception cref="UserInputException">The bytes are too large, damaged, or not an image.</exception>
    public static Raster Decode(byte[] bytes, string name, ImageLimits? limits = null, int? shrinkTo = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        limits ??= ImageLimits.Default;
        if (bytes.Length == 0)
        {
            throw new UserInputException($"{name}: the file is empty; use a PNG, JPEG, BMP, GIF, WebP or PGM image");
        }
        if (bytes.Length > limits.MaxFileBytes)
        {
            throw new UserInputException($"{name}: {bytes.Length / (1 << 20):N0} MiB is larger than the {limits.MaxFileBytes / (1 << 20):N0} MiB an image may have");
        }
        if (bytes.Length >= 2 && bytes[0] == 'P' && bytes[1] is (byte)'2' or (byte)'5')
        {
            return PgmReader.Decode(bytes, name, limits);
        }
        return SkiaDecoder.Decode(bytes, name, limits, shrinkTo);
    }

    /// <summary>
    /// The memory decoding <paramref name="bytes"/> (see <see cref="Decode"/>) takes for its bitmap, read from the
    /// header without decoding: a server can then bound what its concurrent decodes hold. 0 for bytes that decoding
    /// refuses before allocating anything (not an image, over <paramref name="limits"/>).
    /// </summary>
    public static long DecodedBytes(byte[] bytes, ImageLimits? limits = null, int? shrinkTo = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        limits ??= ImageLimits.Default;
        if (bytes.Length is 0 || bytes.Length > limits.MaxFileBytes)
        {
            return 0;
        }
        // A PGM has a byte per pixel, and at most one pixel per byte of the file.
        return bytes is [(byte)'P', (byte)'2' or (byte)'5', ..] ? bytes.Length : SkiaDecoder.DecodedBytes(bytes, limits, shrinkTo);
    }

    /// <summary>The bytes of <paramref name="path"/>, refusing files over <paramref name="maxBytes"/> before reading them.</summary>
    internal static byte[] ReadAllBytes(string path, long maxBytes)
    {
        return UserFile.Read(path, kind: null, "check the image path", _ =>
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (file.Length > maxBytes)
            {
                throw new UserInputException($"{path}: {file.Length / (1 << 20):N0} MiB is larger than the {maxBytes / (1 << 20):N0} MiB an image may have");
            }
            var bytes = new byte[file.Length];
            file.ReadExactly(bytes);
            return bytes;
        });
    }
}
