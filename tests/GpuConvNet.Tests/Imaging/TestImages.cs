using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using GpuConvNet.Imaging;
using SkiaSharp;

namespace GpuConvNet.Tests.Imaging;

/// <summary>
/// Image files built by the tests: through SkiaSharp's encoders (PNG, JPEG, WebP) and, for what it cannot write, by
/// hand from the format's specification (BMP, GIF, interlaced PNG, a JPEG's EXIF orientation).
/// </summary>
internal static class TestImages
{
    /// <summary>A <paramref name="width"/> × <paramref name="height"/> white gray image with a black square in its top-left corner.</summary>
    public static Raster Marked(int width = 40, int height = 20, int mark = 10)
    {
        var pixels = Enumerable.Repeat((byte)255, width * height).ToArray();
        for (int y = 0; y < mark; y++)
        {
            for (int x = 0; x < mark; x++)
            {
                pixels[y * width + x] = 0;
            }
        }
        return new Raster(width, height, PixelLayout.Gray, pixels);
    }

    /// <summary>Mean luminance (0..255) of a square of any raster.</summary>
    public static double Mean(Raster image, int left, int top, int size)
    {
        double sum = 0;
        for (int y = top; y < top + size; y++)
        {
            for (int x = left; x < left + size; x++)
            {
                sum += image.Pixels[(y * image.Width + x) * image.Channels];
            }
        }
        return sum / (size * size);
    }

    /// <summary><paramref name="image"/> (gray) encoded by SkiaSharp as <paramref name="format"/>.</summary>
    public static byte[] Encode(Raster image, SKEncodedImageFormat format, int quality = 95)
    {
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        var handle = GCHandle.Alloc(image.Pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), image.Width);
            using var data = pixmap.Encode(format, quality) ?? throw new InvalidOperationException($"SkiaSharp cannot encode {format}");
            return data.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>A 24-bit bottom-up BMP of a gray image.</summary>
    public static byte[] Bmp(Raster image)
    {
        int rowBytes = (image.Width * 3 + 3) & ~3;
        using var bmp = new MemoryStream();
        using var w = new BinaryWriter(bmp);
        w.Write("BM"u8);
        w.Write(54 + rowBytes * image.Height);
        w.Write(0);
        w.Write(54);
        w.Write(40);
        w.Write(image.Width);
        w.Write(image.Height);
        w.Write((short)1);
        w.Write((short)24);
        w.Write(new byte[24]);
        for (int y = image.Height - 1; y >= 0; y--)
        {
            for (int x = 0; x < image.Width; x++)
            {
                byte v = image.Pixels[y * image.Width + x];
                w.Write([v, v, v]);
            }
            w.Write(new byte[rowBytes - image.Width * 3]);
        }
        return bmp.ToArray();
    }

    /// <summary>
    /// A GIF of a black-and-white image. Its LZW stream sends a clear code before every pixel, so the code table never
    /// grows and codes stay 3 bits wide: valid, if not compressed.
    /// </summary>
    public static byte[] Gif(Raster image)
    {
        using var gif = new MemoryStream();
        using var w = new BinaryWriter(gif);
        w.Write("GIF89a"u8);
        w.Write((short)image.Width);
        w.Write((short)image.Height);
        w.Write([0x80, 0, 0]);            // global colour table of 2 entries
        w.Write([0, 0, 0, 255, 255, 255]);
        w.Write((byte)0x2C);
        w.Write((short)0);
        w.Write((short)0);
        w.Write((short)image.Width);
        w.Write((short)image.Height);
        w.Write((byte)0);
        w.Write((byte)2);                 // minimum code size: clear = 4, end = 5
        var bits = new List<bool>();
        void Code(int code)
        {
            for (int b = 0; b < 3; b++)
            {
                bits.Add(((code >> b) & 1) != 0);
            }
        }
        foreach (byte v in image.Pixels)
        {
            Code(4);
            Code(v > 127 ? 1 : 0);
        }
        Code(5);
        var packed = new byte[(bits.Count + 7) / 8];
        for (int i = 0; i < bits.Count; i++)
        {
            packed[i / 8] |= (byte)(bits[i] ? 1 << (i % 8) : 0);
        }
        for (int at = 0; at < packed.Length; at += 255)
        {
            int length = Math.Min(255, packed.Length - at);
            w.Write((byte)length);
            w.Write(packed, at, length);
        }
        w.Write((byte)0);
        w.Write((byte)0x3B);
        return gif.ToArray();
    }

    /// <summary>
    /// An Adam7-interlaced 8-bit gray PNG (SkiaSharp writes only non-interlaced ones); its header may claim another
    /// size than the pixels it holds.
    /// </summary>
    public static byte[] InterlacedPng(Raster image, int? claimedWidth = null, int? claimedHeight = null)
    {
        (int X0, int Y0, int Dx, int Dy)[] passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
        using var raw = new MemoryStream();
        foreach (var (x0, y0, dx, dy) in passes)
        {
            for (int y = y0; y < image.Height; y += dy)
            {
                if (x0 >= image.Width)
                {
                    break;
                }
                raw.WriteByte(0);         // filter: none
                for (int x = x0; x < image.Width; x += dx)
                {
                    raw.WriteByte(image.Pixels[y * image.Width + x]);
                }
            }
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            raw.WriteTo(z);
        }
        var header = new byte[13];
        BigEndian(header, 0, claimedWidth ?? image.Width);
        BigEndian(header, 4, claimedHeight ?? image.Height);
        header[8] = 8;                    // bit depth
        header[12] = 1;                   // Adam7
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary><paramref name="jpeg"/> with an EXIF segment saying its stored rows have orientation <paramref name="orientation"/> (1–8).</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, int orientation)
    {
        // TIFF, little-endian: header, one IFD with one entry (0x0112 Orientation, SHORT, 1 value), no next IFD.
        byte[] tiff = [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte)orientation, 0, 0, 0, 0, 0, 0, 0];
        var payload = Encoding.ASCII.GetBytes("Exif\0\0").Concat(tiff).ToArray();
        int length = payload.Length + 2;
        byte[] segment = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload];
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BigEndian(length, 0, data.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        var crc = new byte[4];
        BigEndian(crc, 0, (int)Crc32(typed));
        png.Write(crc);
    }

    private static void BigEndian(byte[] target, int at, int value)
    {
        target[at] = (byte)(value >> 24);
        target[at + 1] = (byte)(value >> 16);
        target[at + 2] = (byte)(value >> 8);
        target[at + 3] = (byte)value;
    }

    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }
}
