namespace GpuConvNet.Imaging;

/// <summary>
/// Reads PGM (portable graymap) images, plain (P2, ASCII numbers) and raw (P5, binary; two big-endian bytes per
/// sample when maxval exceeds 255), with maxval 1..65535 and '#' comments in the header. Samples are scaled to 8 bits.
/// </summary>
public static class PgmReader
{
    /// <summary>Decodes PGM bytes within <paramref name="limits"/> (default <see cref="ImageLimits.Default"/>); <paramref name="name"/> names the image in messages.</summary>
    /// <exception cref="UserInputException">The bytes are not a valid P2 or P5 PGM, or the image is too large.</exception>
    public static Raster Decode(ReadOnlySpan<byte> pgm, string name, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Default;
        if (pgm.Length < 2 || pgm[0] != 'P' || (pgm[1] != '2' && pgm[1] != '5'))
        {
            string kind = pgm.Length >= 2 && pgm[0] == 'P' && pgm[1] is (byte)'1' or (byte)'3' or (byte)'4' or (byte)'6'
                ? $"a P{(char)pgm[1]} (bitmap or colour) file; only graymaps (P2, P5) are read"
                : "not a PGM file (it does not start with P2 or P5)";
            throw new UserInputException($"{name}: {kind}; convert the image to PGM or PNG");
        }
        bool plain = pgm[1] == '2';
        int position = 2;
        int width = ReadHeaderNumber(pgm, ref position, name, "width");
        int height = ReadHeaderNumber(pgm, ref position, name, "height");
        int maxval = ReadHeaderNumber(pgm, ref position, name, "maxval");
        if (width == 0 || height == 0)
        {
            throw Invalid(name, $"it is {width}×{height} pixels");
        }
        // One byte per pixel here, where other formats decode to four.
        if ((long)width * height > Math.Min(limits.MaxPixels, limits.MaxDecodedBytes))
        {
            throw new UserInputException($"{name}: {width}×{height} pixels is too large for an image here; scale it down");
        }
        if (maxval is < 1 or > 65535)
        {
            throw Invalid(name, $"maxval is {maxval}; PGM allows 1..65535");
        }
        var pixels = new byte[width * height];
        if (plain)
        {
            for (int i = 0; i < pixels.Length; i++)
            {
                int value = ReadNumber(pgm, ref position, allowComments: true)
                    ?? throw Invalid(name, $"it ends after {i} of {pixels.Length} samples (the file is truncated)");
                pixels[i] = Scale(value, maxval, i, name);
            }
            return new Raster(width, height, PixelLayout.Gray, pixels);
        }
        // Exactly one whitespace byte separates maxval from the binary samples.
        if (position >= pgm.Length || !IsWhitespace(pgm[position]))
        {
            throw Invalid(name, "no whitespace after maxval before the binary samples");
        }
        position++;
        int bytesPerSample = maxval > 255 ? 2 : 1;
        long needed = (long)pixels.Length * bytesPerSample;
        if (pgm.Length - position < needed)
        {
            throw Invalid(name, $"it has {pgm.Length - position} bytes of samples but {width}×{height} at maxval {maxval} needs {needed} (the file is truncated)");
        }
        var body = pgm.Slice(position, (int)needed);
        for (int i = 0; i < pixels.Length; i++)
        {
            int value = bytesPerSample == 1 ? body[i] : (body[2 * i] << 8) | body[2 * i + 1];
            pixels[i] = Scale(value, maxval, i, name);
        }
        return new Raster(width, height, PixelLayout.Gray, pixels);
    }

    private static byte Scale(int value, int maxval, int index, string name)
    {
        if (value > maxval)
        {
            throw Invalid(name, $"sample {index} is {value}, above maxval {maxval}");
        }
        return maxval == 255 ? (byte)value : (byte)((value * 255L + maxval / 2) / maxval);
    }

    private static int ReadHeaderNumber(ReadOnlySpan<byte> pgm, ref int position, string name, string field) =>
        ReadNumber(pgm, ref position, allowComments: true) ?? throw Invalid(name, $"its header has no valid {field}");

    // Skips whitespace and comments, then reads a decimal number; null when there is none (end, or a non-digit).
    private static int? ReadNumber(ReadOnlySpan<byte> text, ref int position, bool allowComments)
    {
        while (position < text.Length)
        {
            if (IsWhitespace(text[position]))
            {
                position++;
            }
            else if (allowComments && text[position] == '#')
            {
                while (position < text.Length && text[position] != '\n' && text[position] != '\r')
                {
                    position++;
                }
            }
            else
            {
                break;
            }
        }
        long value = 0;
        int start = position;
        while (position < text.Length && text[position] is >= (byte)'0' and <= (byte)'9')
        {
            value = value * 10 + (text[position] - '0');
            if (value > int.MaxValue)
            {
                return null;
            }
            position++;
        }
        bool endsCleanly = position == text.Length || IsWhitespace(text[position]) || text[position] == '#';
        return position > start && endsCleanly ? (int)value : null;
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;

    private static UserInputException Invalid(string name, string detail) =>
        new($"{name}: not a valid PGM: {detail}; re-save or re-export the image");
}
