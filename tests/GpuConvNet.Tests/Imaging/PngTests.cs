using System.Text;
using GpuConvNet.Imaging;
using GpuConvNet.Tests.Data;

namespace GpuConvNet.Tests.Imaging;

/// <summary>PNG: encoder/decoder round trips, hand-built files for every filter, bit depth and colour type, and damage.</summary>
[TestClass]
public sealed class PngTests
{
    [TestMethod]
    [DataRow(PixelLayout.Gray)]
    [DataRow(PixelLayout.GrayAlpha)]
    [DataRow(PixelLayout.Rgb)]
    [DataRow(PixelLayout.Rgba)]
    public void EncodeThenDecode_EveryLayoutAndSize_GivesTheSamePixels(PixelLayout layout)
    {
        foreach (var (width, height) in new[] { (1, 1), (7, 5), (33, 17), (64, 1) })
        {
            var random = new Random(width * 100 + height);
            var pixels = new byte[width * height * (int)layout];
            // Half noise, half smooth gradients: every filter wins somewhere.
            for (int i = 0; i < pixels.Length; i++)
            {
                pixels[i] = i % 2 == 0 ? (byte)random.Next(256) : (byte)(i / 3);
            }
            var image = new Raster(width, height, layout, pixels);
            var decoded = PngDecoder.Decode(PngEncoder.Encode(image), "round trip");
            Assert.AreEqual(layout, decoded.Layout);
            Assert.AreEqual(width, decoded.Width);
            Assert.AreEqual(height, decoded.Height);
            CollectionAssert.AreEqual(pixels, decoded.Pixels, $"{width}×{height}");
        }
    }

    [TestMethod]
    public void Encode_WritesSignatureHeaderAndTheWellKnownIendChunk()
    {
        var png = PngEncoder.Encode(new Raster(3, 2, PixelLayout.Rgb));
        CollectionAssert.AreEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        // IHDR: length 13, type, width 3, height 2, depth 8, colour type 2, 0, 0, 0.
        CollectionAssert.AreEqual(new byte[] { 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0, 0, 0 }, png[8..29]);
        // Every PNG ends with the same 12 bytes: an empty IEND and its CRC 0xAE426082.
        CollectionAssert.AreEqual(new byte[] { 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82 }, png[^12..]);
    }

    [TestMethod]
    public void Crc32_OfTheCheckString_IsTheStandardCheckValue()
    {
        Assert.AreEqual(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    // The 3×2 gray image [10 20 30 / 40 60 80] with both rows filtered by one type, worked out by hand.
    [TestMethod]
    [DataRow(0, new byte[] { 10, 20, 30 }, new byte[] { 40, 60, 80 })]
    [DataRow(1, new byte[] { 10, 10, 10 }, new byte[] { 40, 20, 20 })]
    [DataRow(2, new byte[] { 10, 20, 30 }, new byte[] { 30, 40, 50 })]
    [DataRow(3, new byte[] { 10, 15, 20 }, new byte[] { 35, 30, 35 })]
    [DataRow(4, new byte[] { 10, 10, 10 }, new byte[] { 30, 20, 20 })]
    public void Decode_HandFilteredRows_EachFilterType(int filter, byte[] row0, byte[] row1)
    {
        var png = PngTestFiles.Build(3, 2, 8, 0, [[(byte)filter, .. row0], [(byte)filter, .. row1]]);
        var image = PngDecoder.Decode(png, "filters");
        Assert.AreEqual(PixelLayout.Gray, image.Layout);
        CollectionAssert.AreEqual(new byte[] { 10, 20, 30, 40, 60, 80 }, image.Pixels);
    }

    [TestMethod]
    public void Decode_TwoBytePixelsWithSubAndPaeth_WrapModulo256()
    {
        // Gray+alpha (200,255) (100,0) / (50,128) (250,1): row 0 Sub, row 1 Paeth, filtered by hand.
        var png = PngTestFiles.Build(2, 2, 8, 4, [[1, 200, 255, 156, 1], [4, 106, 129, 200, 1]], idatChunks: 3);
        var image = PngDecoder.Decode(png, "wrap");
        Assert.AreEqual(PixelLayout.GrayAlpha, image.Layout);
        CollectionAssert.AreEqual(new byte[] { 200, 255, 100, 0, 50, 128, 250, 1 }, image.Pixels);
    }

    [TestMethod]
    public void Decode_SubByteGray_ScalesToFullRange()
    {
        var twoBit = PngDecoder.Decode(PngTestFiles.Build(4, 1, 2, 0, [[0, 0b00_01_10_11]]), "2-bit");
        CollectionAssert.AreEqual(new byte[] { 0, 85, 170, 255 }, twoBit.Pixels);
        // Ten 1-bit pixels: the second byte is only partly used.
        var oneBit = PngDecoder.Decode(PngTestFiles.Build(10, 1, 1, 0, [[0, 0b1010_0000, 0b1100_0000]]), "1-bit");
        CollectionAssert.AreEqual(new byte[] { 255, 0, 255, 0, 0, 0, 0, 0, 255, 255 }, oneBit.Pixels);
        var fourBit = PngDecoder.Decode(PngTestFiles.Build(3, 2, 4, 0, [[0, 0x0F, 0x70], [2, 0x10, 0x10]]), "4-bit");
        CollectionAssert.AreEqual(new byte[] { 0, 255, 119, 17, 255, 136 }, fourBit.Pixels);
    }

    [TestMethod]
    public void Decode_SixteenBitGrayAndRgb_RoundToEightBits()
    {
        var gray = PngDecoder.Decode(PngTestFiles.Build(2, 1, 16, 0, [[0, 0xFF, 0xFF, 0x80, 0x80]]), "16-bit gray");
        CollectionAssert.AreEqual(new byte[] { 255, 128 }, gray.Pixels);
        var rgb = PngDecoder.Decode(PngTestFiles.Build(1, 1, 16, 2, [[0, 0x12, 0x34, 0xFF, 0xFF, 0x00, 0x00]]), "16-bit RGB");
        Assert.AreEqual(PixelLayout.Rgb, rgb.Layout);
        CollectionAssert.AreEqual(new byte[] { 18, 255, 0 }, rgb.Pixels);
        var rgba = PngDecoder.Decode(PngTestFiles.Build(1, 1, 16, 6, [[0, 0, 0, 0, 0, 0xFF, 0xFF, 0x7F, 0xFF]]), "16-bit RGBA");
        CollectionAssert.AreEqual(new byte[] { 0, 0, 255, 127 }, rgba.Pixels); // 32767 / 65535 · 255 = 127.498
    }

    [TestMethod]
    public void Decode_Palette8BitWithTransparency_ExpandsToRgba()
    {
        byte[] palette = [255, 0, 0, 0, 255, 0, 0, 0, 255];
        var png = PngTestFiles.Build(3, 1, 8, 3, [[0, 2, 0, 1]], [("PLTE", palette), ("tRNS", [0, 128])]);
        var image = PngDecoder.Decode(png, "palette");
        Assert.AreEqual(PixelLayout.Rgba, image.Layout);
        CollectionAssert.AreEqual(new byte[] { 0, 0, 255, 255, 255, 0, 0, 0, 0, 255, 0, 128 }, image.Pixels);
    }

    [TestMethod]
    public void Decode_Palette4BitAnd1Bit_ExpandToRgb()
    {
        byte[] palette = [10, 20, 30, 40, 50, 60, 70, 80, 90];
        var four = PngDecoder.Decode(PngTestFiles.Build(3, 1, 4, 3, [[0, 0x20, 0x10]], [("PLTE", palette)]), "4-bit palette");
        Assert.AreEqual(PixelLayout.Rgb, four.Layout);
        CollectionAssert.AreEqual(new byte[] { 70, 80, 90, 10, 20, 30, 40, 50, 60 }, four.Pixels);
        var one = PngDecoder.Decode(PngTestFiles.Build(2, 1, 1, 3, [[0, 0b0100_0000]], [("PLTE", palette[..6])]), "1-bit palette");
        CollectionAssert.AreEqual(new byte[] { 10, 20, 30, 40, 50, 60 }, one.Pixels);
    }

    [TestMethod]
    public void Decode_PaletteIndexBeyondPalette_IsRejected()
    {
        var png = PngTestFiles.Build(1, 1, 8, 3, [[0, 5]], [("PLTE", new byte[6])]);
        var error = Assert.ThrowsExactly<UserInputException>(() => PngDecoder.Decode(png, "bad.png"));
        StringAssert.Contains(error.Message, "pixel (0, 0) uses palette entry 5 but the palette has 2");
    }

    [TestMethod]
    public void Decode_GrayWithColourKey_BecomesGrayAlpha()
    {
        var png = PngTestFiles.Build(2, 1, 8, 0, [[0, 7, 9]], [("tRNS", [0, 7])]);
        var image = PngDecoder.Decode(png, "key");
        Assert.AreEqual(PixelLayout.GrayAlpha, image.Layout);
        CollectionAssert.AreEqual(new byte[] { 7, 0, 9, 255 }, image.Pixels);
    }

    [TestMethod]
    public void Decode_AncillaryChunkIsSkipped_UnknownCriticalChunkIsRejected()
    {
        var withText = PngTestFiles.Build(1, 1, 8, 0, [[0, 42]], [("tEXt", Encoding.ASCII.GetBytes("Comment\0hello"))]);
        CollectionAssert.AreEqual(new byte[] { 42 }, PngDecoder.Decode(withText, "text").Pixels);
        var withCritical = PngTestFiles.Build(1, 1, 8, 0, [[0, 42]], [("ABCD", [1])]);
        var error = Assert.ThrowsExactly<UserInputException>(() => PngDecoder.Decode(withCritical, "odd.png"));
        StringAssert.Contains(error.Message, "critical PNG chunk 'ABCD'");
    }

    [TestMethod]
    public void Decode_Interlaced_SaysToResaveWithoutInterlacing()
    {
        var png = PngTestFiles.Build(1, 1, 8, 0, [[0, 0]], interlace: 1);
        var error = Assert.ThrowsExactly<UserInputException>(() => PngDecoder.Decode(png, "photo.png"));
        Assert.AreEqual("photo.png: interlaced (Adam7) PNGs are not supported; re-save the image without interlacing", error.Message);
    }

    [TestMethod]
    public void Decode_CorruptedChunk_FailsItsCrc()
    {
        var png = PngEncoder.Encode(new Raster(4, 4, PixelLayout.Gray));
        png[20] ^= 1; // inside IHDR's data
        var error = Assert.ThrowsExactly<UserInputException>(() => PngDecoder.Decode(png, "crc.png"));
        StringAssert.Contains(error.Message, "chunk 'IHDR' fails its CRC check");
    }

    [TestMethod]
    public void Decode_Truncated_SaysTruncated()
    {
        var png = PngEncoder.Encode(new Raster(40, 40, PixelLayout.Rgb, Enumerable.Range(0, 4800).Select(i => (byte)(i * 7)).ToArray()));
        var error = Assert.ThrowsExactly<UserInputException>(() => PngDecoder.Decode(png[..(png.Length / 2)], "cut.png"));
        StringAssert.Contains(error.Message, "truncated");
    }

    [TestMethod]
    public void Decode_TooFewImageBytes_SaysHowManyAreMissing()
    {
        var png = PngTestFiles.Build(3, 2, 8, 0, [[0, 1, 2, 3]]);
        var error = Assert.ThrowsExactly<UserInputException>(() => PngDecoder.Decode(png, "short.png"));
        StringAssert.Contains(error.Message, "its image data holds 4 bytes but 3×2 grayscale at 8 bits needs 8");
    }

    [TestMethod]
    public void Decode_BadFilterTypeAndBadDepth_AreRejected()
    {
        var badFilter = Assert.ThrowsExactly<UserInputException>(() => PngDecoder.Decode(PngTestFiles.Build(1, 1, 8, 0, [[5, 0]]), "f.png"));
        StringAssert.Contains(badFilter.Message, "row 0 has filter type 5");
        var badDepth = Assert.ThrowsExactly<UserInputException>(() => PngDecoder.Decode(PngTestFiles.Build(1, 1, 4, 2, [[0, 0]]), "d.png"));
        StringAssert.Contains(badDepth.Message, "bit depth 4 is not valid for RGB images");
    }

    [TestMethod]
    public void Decode_NotAPng_SaysSo()
    {
        var error = Assert.ThrowsExactly<UserInputException>(() => PngDecoder.Decode("GIF89a"u8, "x.gif"));
        StringAssert.Contains(error.Message, "x.gif: not a PNG file");
    }

    [TestMethod]
    public void WriteThenImageFileRead_RoundTripsThroughDisk()
    {
        using var dir = new TempDirectory();
        var image = new Raster(2, 2, PixelLayout.Rgb, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        string path = Path.Combine(dir.Path, "sub", "out.png");
        PngEncoder.Write(path, image);
        CollectionAssert.AreEqual(image.Pixels, ImageFile.Read(path).Pixels);
        Assert.HasCount(1, Directory.GetFiles(Path.GetDirectoryName(path)!), "no temp file left");
    }

    [TestMethod]
    public void ImageFileRead_Jpeg_NamesTheFormatAndWhatToDo()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("digit.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 0]);
        var error = Assert.ThrowsExactly<UserInputException>(() => ImageFile.Read(path));
        StringAssert.Contains(error.Message, "a JPEG image; supported formats are PNG and PGM (P2/P5): convert the image to PNG");
    }
}
