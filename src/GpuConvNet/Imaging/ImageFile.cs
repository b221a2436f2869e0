namespace GpuConvNet.Imaging;

/// <summary>Reads an image file of any supported format (PNG, PGM), recognised by its first bytes rather than its name.</summary>
public static class ImageFile
{
    /// <summary>Reads the PNG or PGM image at <paramref name="path"/>.</summary>
    /// <exception cref="UserInputException">The file is missing, unreadable, damaged, or in another format.</exception>
    public static Raster Read(string path)
    {
        var bytes = ReadAllBytes(path);
        if (bytes.AsSpan().StartsWith(PngEncoder.Signature))
        {
            return PngDecoder.Decode(bytes, path);
        }
        if (bytes.Length >= 2 && bytes[0] == 'P' && bytes[1] is (byte)'2' or (byte)'5')
        {
            return PgmReader.Decode(bytes, path);
        }
        string detected = bytes switch
        {
            [0xFF, 0xD8, 0xFF, ..] => "a JPEG image",
            [(byte)'G', (byte)'I', (byte)'F', ..] => "a GIF image",
            [(byte)'B', (byte)'M', ..] => "a BMP image",
            [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "a WebP image",
            [(byte)'P', (byte)'1' or (byte)'3' or (byte)'4' or (byte)'6', ..] => "a PBM/PPM image",
            [] => "empty",
            _ => "not an image format this program reads",
        };
        throw new UserInputException($"{path}: {detected}; supported formats are PNG and PGM (P2/P5): convert the image to PNG");
    }

    /// <summary>The bytes of <paramref name="path"/>, with missing or unreadable files as <see cref="UserInputException"/>s.</summary>
    internal static byte[] ReadAllBytes(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UserInputException($"{path} does not exist; check the image path", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path} cannot be read: {e.Message.ReplaceLineEndings(" ")}; check that it is a readable file", e);
        }
    }
}
