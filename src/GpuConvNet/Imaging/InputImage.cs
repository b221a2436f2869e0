namespace GpuConvNet.Imaging;

/// <summary>
/// A user's picture, from a file or an upload, as a model's input: one path for <c>gpuconvnet predict</c>, the web
/// page and image-folder data sets, so that all of them see the same pixels.
/// </summary>
public static class InputImage
{
    /// <summary>
    /// Decoders that can shrink while decoding (JPEG) keep at least this many pixels on the longer side: inputs are
    /// 28 pixels or a few times that, so 1,000 loses nothing, and a 12-megapixel photo (4000 × 3000) decodes at a
    /// quarter of its size.
    /// </summary>
    public const int DecodeSide = 1000;

    /// <summary>The input (see <paramref name="preprocessing"/>) of the image file at <paramref name="path"/>.</summary>
    /// <exception cref="UserInputException">The file is missing, too large, not an image, or unusable (e.g. no digit in it).</exception>
    public static byte[] Read(string path, Preprocessing preprocessing, InkPolarity polarity = InkPolarity.Auto)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        return FromRaster(ImageFile.Read(path, shrinkTo: DecodeSide), path, preprocessing, polarity);
    }

    /// <summary>The input of an image file's bytes; <paramref name="name"/> names it in messages.</summary>
    /// <exception cref="UserInputException">The bytes are too large, not an image, or unusable.</exception>
    public static byte[] Decode(byte[] bytes, string name, Preprocessing preprocessing, InkPolarity polarity = InkPolarity.Auto)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        return FromRaster(ImageFile.Decode(bytes, name, shrinkTo: DecodeSide), name, preprocessing, polarity);
    }

    /// <summary>
    /// The input of a picture already decoded (at least <see cref="DecodeSide"/> on its longer side where it was
    /// larger). Formats that cannot shrink while decoding (PNG) are shrunk here: the preprocessor's float buffers then
    /// stay small (a 64-megapixel PNG would need several of 256 MiB each).
    /// </summary>
    /// <exception cref="UserInputException">The picture is unusable (e.g. no digit in it).</exception>
    public static byte[] FromRaster(Raster image, string name, Preprocessing preprocessing, InkPolarity polarity = InkPolarity.Auto)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        return preprocessing.Prepare(Downscale.ToAtLeast(image, DecodeSide), name, polarity);
    }

    /// <summary>
    /// <paramref name="message"/> without the leading "<paramref name="name"/>: " that messages about a file start
    /// with, for tables and JSON that show the name in a column of its own.
    /// </summary>
    public static string WithoutName(string message, string name)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(name);
        string prefix = name + ": ";
        return message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message;
    }
}
