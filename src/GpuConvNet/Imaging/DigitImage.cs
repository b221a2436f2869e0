namespace GpuConvNet.Imaging;

/// <summary>
/// A user's picture of a digit, from a file or an upload, as the 28×28 field a model reads: one path for
/// <c>gpuconvnet predict</c> and the web page, so both see the same pixels.
/// </summary>
public static class DigitImage
{
    /// <summary>
    /// Decoders that can shrink while decoding (JPEG) keep at least this many pixels on the longer side: the digit's
    /// box ends up 20 pixels tall, so 1,000 loses nothing, and a 12-megapixel photo (4000 × 3000) decodes at a quarter of its size.
    /// </summary>
    public const int DecodeSide = 1000;

    /// <summary>The MNIST-style field (784 bytes) of the image file at <paramref name="path"/>.</summary>
    /// <exception cref="UserInputException">The file is missing, too large, not an image, or holds no digit.</exception>
    public static byte[] Read(string path, InkPolarity polarity = InkPolarity.Auto) =>
        Prepare(ImageFile.Read(path, shrinkTo: DecodeSide), path, polarity);

    /// <summary>The MNIST-style field of an image file's bytes; <paramref name="name"/> names it in messages.</summary>
    /// <exception cref="UserInputException">The bytes are too large, not an image, or hold no digit.</exception>
    public static byte[] Decode(byte[] bytes, string name, InkPolarity polarity = InkPolarity.Auto) =>
        Prepare(ImageFile.Decode(bytes, name, shrinkTo: DecodeSide), name, polarity);

    // Formats that cannot shrink while decoding (PNG) are shrunk right after: the preprocessor's float buffers then
    // stay small (a 64-megapixel PNG would need several of 256 MiB each).
    private static byte[] Prepare(Raster image, string name, InkPolarity polarity) =>
        MnistPreprocessor.Prepare(Downscale.ToAtLeast(image, DecodeSide), name, polarity);

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
