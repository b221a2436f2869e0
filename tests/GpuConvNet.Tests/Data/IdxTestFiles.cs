using System.Buffers.Binary;
using System.IO.Compression;

namespace GpuConvNet.Tests.Data;

/// <summary>Builds small IDX files, raw or gzip, for reader tests.</summary>
public static class IdxTestFiles
{
    /// <summary>An IDX images file: magic, count, rows, cols, then <paramref name="pixels"/>.</summary>
    public static byte[] Images(int count, int rows, int cols, byte[] pixels, int magic = 0x803)
    {
        var bytes = new byte[16 + pixels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), cols);
        pixels.CopyTo(bytes, 16);
        return bytes;
    }

    /// <summary>An IDX labels file: magic, count, then <paramref name="labels"/>.</summary>
    public static byte[] Labels(int count, byte[] labels, int magic = 0x801)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    /// <summary><paramref name="content"/> gzip-compressed.</summary>
    public static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }
        return output.ToArray();
    }

    /// <summary>Pixels 0, 1, 2, … (mod 256): every image differs.</summary>
    public static byte[] Ramp(int length)
    {
        var pixels = new byte[length];
        for (int i = 0; i < length; i++)
        {
            pixels[i] = (byte)i;
        }
        return pixels;
    }
}
