using System.Text;
using GpuConvNet.Imaging;
using GpuConvNet.Tests.Data;

namespace GpuConvNet.Tests.Imaging;

/// <summary>PGM: plain and raw graymaps, 8 and 16 bits, comments, scaling and damage.</summary>
[TestClass]
public sealed class PgmTests
{
    [TestMethod]
    public void Decode_PlainWithCommentsAndMaxval15_ScalesTo255()
    {
        var text = "P2\n# a comment\n3 2 # trailing comment\n15\n0 15 7\n  8\n1 14\n";
        var image = PgmReader.Decode(Encoding.ASCII.GetBytes(text), "plain.pgm");
        Assert.AreEqual(3, image.Width);
        Assert.AreEqual(2, image.Height);
        Assert.AreEqual(PixelLayout.Gray, image.Layout);
        CollectionAssert.AreEqual(new byte[] { 0, 255, 119, 136, 17, 238 }, image.Pixels);
    }

    [TestMethod]
    public void Decode_Raw8Bit_ReadsBytesAfterOneWhitespace()
    {
        // The sample bytes include 10 and 32: whitespace values that must be read as data.
        byte[] pgm = [.. Encoding.ASCII.GetBytes("P5 2 2 255\n"), 10, 32, 0, 255];
        CollectionAssert.AreEqual(new byte[] { 10, 32, 0, 255 }, PgmReader.Decode(pgm, "raw.pgm").Pixels);
    }

    [TestMethod]
    public void Decode_Raw16Bit_ReadsBigEndianSamples()
    {
        byte[] pgm = [.. Encoding.ASCII.GetBytes("P5\n2 1\n65535\n"), 0xFF, 0xFF, 0x80, 0x80];
        CollectionAssert.AreEqual(new byte[] { 255, 128 }, PgmReader.Decode(pgm, "raw16.pgm").Pixels);
    }

    [TestMethod]
    public void Decode_RawTruncated_SaysTruncated()
    {
        byte[] pgm = [.. Encoding.ASCII.GetBytes("P5 4 4 255\n"), 1, 2, 3];
        var error = Assert.ThrowsExactly<UserInputException>(() => PgmReader.Decode(pgm, "cut.pgm"));
        StringAssert.Contains(error.Message, "it has 3 bytes of samples but 4×4 at maxval 255 needs 16 (the file is truncated)");
    }

    [TestMethod]
    public void Decode_SampleAboveMaxval_IsRejected()
    {
        var error = Assert.ThrowsExactly<UserInputException>(() => PgmReader.Decode("P2 2 1 10 3 11"u8, "big.pgm"));
        StringAssert.Contains(error.Message, "sample 1 is 11, above maxval 10");
    }

    [TestMethod]
    public void Decode_PlainTooFewSamples_SaysTruncated()
    {
        var error = Assert.ThrowsExactly<UserInputException>(() => PgmReader.Decode("P2 2 2 255 1 2 3"u8, "few.pgm"));
        StringAssert.Contains(error.Message, "it ends after 3 of 4 samples");
    }

    [TestMethod]
    public void Decode_ColourPpm_SaysOnlyGraymapsAreRead()
    {
        var error = Assert.ThrowsExactly<UserInputException>(() => PgmReader.Decode("P6 1 1 255\n\0\0\0"u8, "c.ppm"));
        StringAssert.Contains(error.Message, "a P6 (bitmap or colour) file; only graymaps (P2, P5) are read");
    }

    [TestMethod]
    public void Decode_BadMaxval_IsRejected()
    {
        var error = Assert.ThrowsExactly<UserInputException>(() => PgmReader.Decode("P2 1 1 70000 1"u8, "m.pgm"));
        StringAssert.Contains(error.Message, "maxval is 70000; PGM allows 1..65535");
    }

    [TestMethod]
    public void ImageFileRead_RecognisesPgmByItsMagic()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("digit.dat", Encoding.ASCII.GetBytes("P2 1 1 255 77"));
        CollectionAssert.AreEqual(new byte[] { 77 }, ImageFile.Read(path).Pixels);
    }
}
