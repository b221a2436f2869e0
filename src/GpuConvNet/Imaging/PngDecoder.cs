using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace GpuConvNet.Imaging;

/// <summary>
/// Reads non-interlaced PNGs of every standard colour type into 8-bit <see cref="Raster"/>s: grayscale (1, 2, 4, 8,
/// 16 bits), RGB (8, 16), palette (1, 2, 4, 8), grayscale+alpha and RGBA (8, 16), with all five row filters and
/// tRNS transparency. 16-bit samples are rounded to 8 bits; palettes are expanded to RGB (RGBA with tRNS). Chunk
/// CRCs are checked. Every problem is a <see cref="UserInputException"/> that names the image.
/// </summary>
public static class PngDecoder
{
    // Larger images are not digits to classify; the cap keeps a hostile header from allocating gigabytes.
    private const long MaxPixels = 1L << 27;

    /// <summary>Reads the PNG file at <paramref name="path"/>.</summary>
    /// <exception cref="UserInputException">The file is missing, unreadable, damaged, interlaced or not a PNG.</exception>
    public static Raster Read(string path) => Decode(ImageFile.ReadAllBytes(path), path);

    /// <summary>Decodes PNG bytes; <paramref name="name"/> names the image in messages.</summary>
    /// <exception cref="UserInputException">The bytes are not a PNG this decoder supports.</exception>
    public static Raster Decode(ReadOnlySpan<byte> png, string name)
    {
        if (!png.StartsWith(PngEncoder.Signature))
        {
            throw new UserInputException($"{name}: not a PNG file (it does not start with the PNG signature); use a PNG or PGM image");
        }
        PngHeader? header = null;
        byte[]? palette = null;
        byte[]? transparency = null;
        using var idat = new MemoryStream();
        int offset = PngEncoder.Signature.Length;
        bool ended = false;
        while (!ended)
        {
            if (png.Length - offset < 12)
            {
                throw Damaged(name, header is null ? "it ends before its header chunk" : "it ends before its IEND chunk (the file is truncated)");
            }
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            var typeBytes = png.Slice(offset + 4, 4);
            string type = Encoding.ASCII.GetString(typeBytes);
            if (length > int.MaxValue || png.Length - offset - 12 < length)
            {
                throw Damaged(name, $"chunk {Printable(type)} claims {length} bytes but the file ends first (the file is truncated)");
            }
            var data = png.Slice(offset + 8, (int)length);
            uint storedCrc = BinaryPrimitives.ReadUInt32BigEndian(png[(offset + 8 + (int)length)..]);
            if (Crc32.Finish(Crc32.Update(Crc32.Update(Crc32.Start, typeBytes), data)) != storedCrc)
            {
                throw Damaged(name, $"chunk {Printable(type)} fails its CRC check");
            }
            offset += 12 + (int)length;

            if (header is null && type != "IHDR")
            {
                throw Damaged(name, $"its first chunk is {Printable(type)}, not IHDR");
            }
            switch (type)
            {
                case "IHDR":
                    if (header is not null)
                    {
                        throw Damaged(name, "it has two IHDR chunks");
                    }
                    header = ParseHeader(data, name);
                    break;
                case "PLTE":
                    if (data.Length == 0 || data.Length % 3 != 0 || data.Length > 768)
                    {
                        throw Damaged(name, $"its palette has {data.Length} bytes, not 3 per entry for 1..256 entries");
                    }
                    palette = data.ToArray();
                    break;
                case "tRNS":
                    transparency = data.ToArray();
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
                case "IEND":
                    ended = true;
                    break;
                default:
                    // Bit 5 of the first letter clear (upper case) marks a chunk a decoder must understand.
                    if ((typeBytes[0] & 0x20) == 0)
                    {
                        throw new UserInputException($"{name}: uses the critical PNG chunk {Printable(type)}, which this reader does not support; re-save the image as a standard PNG");
                    }
                    break;
            }
        }
        var h = header!.Value;
        if (h.ColorType == 3 && palette is null)
        {
            throw Damaged(name, "it is a palette image without a PLTE chunk");
        }
        if (idat.Length == 0)
        {
            throw Damaged(name, "it has no image data (no IDAT chunk)");
        }
        var rows = Inflate(idat, h, name);
        return Expand(rows, h, palette, transparency, name);
    }

    private static PngHeader ParseHeader(ReadOnlySpan<byte> data, string name)
    {
        if (data.Length != 13)
        {
            throw Damaged(name, $"its IHDR chunk has {data.Length} bytes instead of 13");
        }
        uint width = BinaryPrimitives.ReadUInt32BigEndian(data);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        var header = new PngHeader((int)Math.Min(width, int.MaxValue), (int)Math.Min(height, int.MaxValue), data[8], data[9]);
        if (width == 0 || height == 0)
        {
            throw Damaged(name, $"it is {width}×{height} pixels");
        }
        if ((long)width * height > MaxPixels)
        {
            throw new UserInputException($"{name}: {width}×{height} pixels is too large for a digit image; scale it down (a few hundred pixels a side is plenty)");
        }
        if (!header.IsValidCombination)
        {
            throw Damaged(name, $"bit depth {header.BitDepth} is not valid for {header.ColorTypeName} images");
        }
        if (data[10] != 0 || data[11] != 0)
        {
            throw Damaged(name, $"it uses compression method {data[10]} / filter method {data[11]}; PNG defines only 0");
        }
        if (data[12] == 1)
        {
            throw new UserInputException($"{name}: interlaced (Adam7) PNGs are not supported; re-save the image without interlacing");
        }
        if (data[12] != 0)
        {
            throw Damaged(name, $"interlace method {data[12]} is not defined by PNG");
        }
        return header;
    }

    // The unfiltered rows, each RowBytes long, back to back.
    private static byte[] Inflate(MemoryStream idat, PngHeader h, string name)
    {
        int rowBytes = h.RowBytes;
        long expected = (long)h.Height * (rowBytes + 1);
        if (expected > int.MaxValue)
        {
            throw new UserInputException($"{name}: {h.Width}×{h.Height} pixels is too large for a digit image; scale it down");
        }
        var filtered = new byte[expected];
        idat.Position = 0;
        int read;
        try
        {
            using var zlib = new ZLibStream(idat, CompressionMode.Decompress, leaveOpen: true);
            read = zlib.ReadAtLeast(filtered, filtered.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw Damaged(name, $"its compressed image data is corrupt ({e.Message.ReplaceLineEndings(" ")})");
        }
        if (read < filtered.Length)
        {
            throw Damaged(name, $"its image data holds {read} bytes but {h.Width}×{h.Height} {h.ColorTypeName} at {h.BitDepth} bits needs {expected} (the file is truncated)");
        }
        var rows = new byte[(long)h.Height * rowBytes];
        var previous = new byte[rowBytes];
        int bpp = h.FilterBytesPerPixel;
        for (int y = 0; y < h.Height; y++)
        {
            int filter = filtered[y * (rowBytes + 1)];
            var row = rows.AsSpan(y * rowBytes, rowBytes);
            filtered.AsSpan(y * (rowBytes + 1) + 1, rowBytes).CopyTo(row);
            if (!PngFilter.Undo(filter, row, previous, bpp))
            {
                throw Damaged(name, $"row {y} has filter type {filter}; PNG defines 0..4");
            }
            row.CopyTo(previous);
        }
        return rows;
    }

    private static Raster Expand(byte[] rows, PngHeader h, byte[]? palette, byte[]? transparency, string name)
    {
        int samples = h.SamplesPerPixel;
        bool colorKey = transparency is not null && h.ColorType is 0 or 2;
        bool paletteAlpha = transparency is not null && h.ColorType == 3;
        int outChannels = h.ColorType switch
        {
            0 => colorKey ? 2 : 1,
            2 => colorKey ? 4 : 3,
            3 => paletteAlpha ? 4 : 3,
            4 => 2,
            _ => 4,
        };
        if (colorKey && transparency!.Length != 2 * samples)
        {
            throw Damaged(name, $"its tRNS chunk has {transparency.Length} bytes; a {h.ColorTypeName} image needs {2 * samples}");
        }
        int paletteEntries = palette is null ? 0 : palette.Length / 3;
        if (paletteAlpha && transparency!.Length > paletteEntries)
        {
            throw Damaged(name, $"its tRNS chunk has {transparency.Length} entries for a {paletteEntries}-colour palette");
        }
        var output = new byte[(long)h.Width * h.Height * outChannels];
        int rowBytes = h.RowBytes;
        Span<int> raw = stackalloc int[4];
        int maxSample = (1 << h.BitDepth) - 1;
        for (int y = 0; y < h.Height; y++)
        {
            var row = rows.AsSpan(y * rowBytes, rowBytes);
            for (int x = 0; x < h.Width; x++)
            {
                for (int s = 0; s < samples; s++)
                {
                    raw[s] = Sample(row, x * samples + s, h.BitDepth);
                }
                var pixel = output.AsSpan((y * h.Width + x) * outChannels, outChannels);
                if (h.ColorType == 3)
                {
                    int index = raw[0];
                    if (index >= paletteEntries)
                    {
                        throw Damaged(name, $"pixel ({x}, {y}) uses palette entry {index} but the palette has {paletteEntries}");
                    }
                    palette.AsSpan(index * 3, 3).CopyTo(pixel);
                    if (paletteAlpha)
                    {
                        pixel[3] = index < transparency!.Length ? transparency[index] : (byte)255;
                    }
                    continue;
                }
                for (int s = 0; s < samples; s++)
                {
                    pixel[s] = To8Bits(raw[s], maxSample);
                }
                if (colorKey)
                {
                    bool transparent = true;
                    for (int s = 0; s < samples; s++)
                    {
                        transparent &= raw[s] == BinaryPrimitives.ReadUInt16BigEndian(transparency.AsSpan(2 * s)) % (maxSample + 1);
                    }
                    pixel[samples] = transparent ? (byte)0 : (byte)255;
                }
            }
        }
        return new Raster(h.Width, h.Height, (PixelLayout)outChannels, output);
    }

    // Sample number `index` of a row packed at `bitDepth` bits per sample, most significant bits first.
    private static int Sample(ReadOnlySpan<byte> row, int index, int bitDepth) => bitDepth switch
    {
        8 => row[index],
        16 => (row[2 * index] << 8) | row[2 * index + 1],
        _ => (row[index * bitDepth / 8] >> (8 - bitDepth - index * bitDepth % 8)) & ((1 << bitDepth) - 1),
    };

    // Scales a sample in 0..max to 0..255, rounding: 1-bit 1 → 255, 2-bit 1 → 85, 16-bit 65535 → 255.
    private static byte To8Bits(int value, int max) => max == 255 ? (byte)value : (byte)((value * 255 + max / 2) / max);

    private static UserInputException Damaged(string name, string detail) =>
        new($"{name}: not a valid PNG: {detail}; re-save or re-export the image");

    private static string Printable(string type) =>
        type.All(c => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z') ? $"'{type}'" : "(unreadable type)";
}
