using System.Buffers.Binary;
using System.IO.Compression;
using GpuConvNet.Imaging;

namespace GpuConvNet.Tests.Imaging;

/// <summary>Builds PNGs byte by byte from given IHDR fields and already-filtered scanlines, for decoder tests.</summary>
public static class PngTestFiles
{
    /// <summary>
    /// A PNG of the given header whose IDAT holds <paramref name="scanlines"/> (each: filter byte, then filtered row)
    /// compressed and split into <paramref name="idatChunks"/> chunks; <paramref name="extraChunks"/> go before IDAT.
    /// </summary>
    public static byte[] Build(int width, int height, int bitDepth, int colorType, byte[][] scanlines,
        (string Type, byte[] Data)[]? extraChunks = null, int interlace = 0, int idatChunks = 1)
    {
        using var png = new MemoryStream();
        png.Write(PngEncoder.Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bitDepth;
        header[9] = (byte)colorType;
        header[12] = (byte)interlace;
        PngEncoder.WriteChunk(png, "IHDR", header);
        foreach (var (type, data) in extraChunks ?? [])
        {
            PngEncoder.WriteChunk(png, type, data);
        }
        var compressed = Zlib(scanlines.SelectMany(s => s).ToArray());
        int part = (compressed.Length + idatChunks - 1) / idatChunks;
        for (int start = 0; start < compressed.Length; start += part)
        {
            PngEncoder.WriteChunk(png, "IDAT", compressed.AsSpan(start, Math.Min(part, compressed.Length - start)));
        }
        PngEncoder.WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary><paramref name="data"/> as a zlib stream.</summary>
    public static byte[] Zlib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }
        return output.ToArray();
    }
}
