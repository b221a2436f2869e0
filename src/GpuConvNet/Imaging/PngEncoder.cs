using System.Buffers.Binary;
using System.IO.Compression;

namespace GpuConvNet.Imaging;

/// <summary>
/// Writes 8-bit PNGs (gray, gray+alpha, RGB, RGBA; non-interlaced). Each row gets the filter whose output has the
/// smallest sum of absolute values, the usual heuristic that makes zlib's job easiest.
/// </summary>
public static class PngEncoder
{
    /// <summary>The eight bytes every PNG starts with.</summary>
    internal static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The PNG encoding of <paramref name="image"/>.</summary>
    public static byte[] Encode(Raster image)
    {
        using var output = new MemoryStream();
        Encode(image, output);
        return output.ToArray();
    }

    /// <summary>Writes the PNG encoding of <paramref name="image"/> to <paramref name="output"/>.</summary>
    public static void Encode(Raster image, Stream output)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8;                       // bit depth
        header[9] = ColorType(image.Layout);
        header[10] = 0;                      // compression: deflate
        header[11] = 0;                      // filter method: adaptive, five types
        header[12] = 0;                      // no interlace
        WriteChunk(output, "IHDR", header);
        WriteChunk(output, "IDAT", Compress(image));
        WriteChunk(output, "IEND", []);
    }

    /// <summary>Writes <paramref name="image"/> as a PNG file at <paramref name="path"/>, replacing it atomically.</summary>
    /// <exception cref="UserInputException">The file cannot be written.</exception>
    public static void Write(string path, Raster image)
    {
        ArgumentNullException.ThrowIfNull(image);
        AtomicFile.Write(path, stream => Encode(image, stream), "image");
    }

    /// <summary>The PNG colour type of an 8-bit <paramref name="layout"/>.</summary>
    internal static byte ColorType(PixelLayout layout) => layout switch
    {
        PixelLayout.Gray => 0,
        PixelLayout.Rgb => 2,
        PixelLayout.GrayAlpha => 4,
        PixelLayout.Rgba => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "not a pixel layout"),
    };

    /// <summary>Writes one chunk: length, type, data, and the CRC of type and data.</summary>
    internal static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        Span<byte> typeBytes = stackalloc byte[4];
        for (int i = 0; i < 4; i++)
        {
            typeBytes[i] = (byte)type[i];
        }
        output.Write(typeBytes);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Finish(Crc32.Update(Crc32.Update(Crc32.Start, typeBytes), data)));
        output.Write(word);
    }

    private static byte[] Compress(Raster image)
    {
        int stride = image.Stride;
        int bpp = image.Channels;
        var previous = new byte[stride];     // the row above the first row is all zeros
        var candidates = new byte[5][];
        for (int f = 0; f < candidates.Length; f++)
        {
            candidates[f] = new byte[stride];
        }
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < image.Height; y++)
            {
                var row = image.Pixels.AsSpan(y * stride, stride);
                int best = 0;
                long bestScore = long.MaxValue;
                for (int f = 0; f < candidates.Length; f++)
                {
                    PngFilter.Apply(f, row, previous, bpp, candidates[f]);
                    long score = Score(candidates[f]);
                    if (score < bestScore)
                    {
                        best = f;
                        bestScore = score;
                    }
                }
                zlib.WriteByte((byte)best);
                zlib.Write(candidates[best]);
                row.CopyTo(previous);
            }
        }
        return compressed.ToArray();
    }

    // Sum of the filtered bytes read as signed values: small residuals compress best.
    private static long Score(ReadOnlySpan<byte> filtered)
    {
        long sum = 0;
        foreach (byte b in filtered)
        {
            sum += b < 128 ? b : 256 - b;
        }
        return sum;
    }
}
