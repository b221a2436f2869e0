using System.Text;
using GpuConvNet.Imaging;
using GpuConvNet.Tests.Data;
using SkiaSharp;

namespace GpuConvNet.Tests.Imaging;

/// <summary>Reading users' image files through SkiaSharp: every format, EXIF orientation, limits checked before decoding, damage.</summary>
[TestClass]
public sealed class ImageFileTests
{
    public static IEnumerable<object[]> Formats =>
    [
        ["png", (Func<Raster, byte[]>)(r => TestImages.Encode(r, SKEncodedImageFormat.Png))],
        ["interlaced png", (Func<Raster, byte[]>)(r => TestImages.InterlacedPng(r))],
        ["jpeg", (Func<Raster, byte[]>)(r => TestImages.Encode(r, SKEncodedImageFormat.Jpeg))],
        ["webp", (Func<Raster, byte[]>)(r => TestImages.Encode(r, SKEncodedImageFormat.Webp))],
        ["bmp", (Func<Raster, byte[]>)TestImages.Bmp],
        ["gif", (Func<Raster, byte[]>)TestImages.Gif],
        ["pgm", (Func<Raster, byte[]>)(r => [.. Encoding.ASCII.GetBytes($"P5 {r.Width} {r.Height} 255\n"), .. r.Pixels])],
    ];

    [TestMethod]
    [DynamicData(nameof(Formats))]
    public void Read_EveryFormat_GivesThePicture(string format, Func<Raster, byte[]> encode)
    {
        using var dir = new TempDirectory();
        // The name says nothing: the format is recognised by the bytes.
        string path = dir.Write("picture.bin", encode(TestImages.Marked()));

        var image = ImageFile.Read(path);

        Assert.AreEqual(40, image.Width, format);
        Assert.AreEqual(20, image.Height, format);
        Assert.IsLessThan(40, TestImages.Mean(image, 2, 2, 6), $"{format}: the black mark, top left");
        Assert.IsGreaterThan(215, TestImages.Mean(image, 30, 8, 8), $"{format}: white elsewhere");
    }

    [TestMethod]
    [DataRow(1, 40, 20, false, false)]
    [DataRow(2, 40, 20, true, false)]
    [DataRow(3, 40, 20, true, true)]
    [DataRow(4, 40, 20, false, true)]
    [DataRow(5, 20, 40, false, false)]
    [DataRow(6, 20, 40, true, false)]
    [DataRow(7, 20, 40, true, true)]
    [DataRow(8, 20, 40, false, true)]
    public void Read_JpegWithExifOrientation_ComesOutUpright(int orientation, int width, int height, bool markRight, bool markBottom)
    {
        using var dir = new TempDirectory();
        var jpeg = TestImages.WithExifOrientation(TestImages.Encode(TestImages.Marked(), SKEncodedImageFormat.Jpeg), orientation);
        string path = dir.Write("photo.jpg", jpeg);

        var image = ImageFile.Read(path);

        Assert.AreEqual((width, height), (image.Width, image.Height), "sideways orientations swap the sides");
        int x = markRight ? width - 8 : 2, y = markBottom ? height - 8 : 2;
        Assert.IsLessThan(40, TestImages.Mean(image, x, y, 6), $"orientation {orientation}: the mark at {(markBottom ? "bottom" : "top")} {(markRight ? "right" : "left")}");
    }

    [TestMethod]
    public void Read_LargeJpegWithShrinkTo_DecodesSmallerButNotBelowIt()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("photo.jpg", TestImages.Encode(TestImages.Marked(2000, 1500, 500), SKEncodedImageFormat.Jpeg, 80));

        var image = ImageFile.Read(path, shrinkTo: 256);

        Assert.IsInRange(256, 1000, image.Width, "decoded at a half, a quarter or an eighth of its size");
        Assert.AreEqual(image.Width * 3, image.Height * 4, "the aspect ratio stays");
        Assert.IsLessThan(40, TestImages.Mean(image, 5, 5, image.Width / 10));
        Assert.AreEqual(2000, ImageFile.Read(path).Width, "without shrinkTo, full size");
    }

    [TestMethod]
    public void Read_OverTheLimits_IsRefusedBeforeDecoding()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("big.png", TestImages.Encode(TestImages.Marked(1000, 800, 100), SKEncodedImageFormat.Png));

        var file = Assert.ThrowsExactly<UserInputException>(() => ImageFile.Read(path, new ImageLimits(1000, long.MaxValue, long.MaxValue)));
        StringAssert.Contains(file.Message, "an image may have");
        var pixels = Assert.ThrowsExactly<UserInputException>(() => ImageFile.Read(path, new ImageLimits(long.MaxValue, 500_000, long.MaxValue)));
        StringAssert.Contains(pixels.Message, "1000×800 is 1 megapixels, more than the 0 an image may have; scale it down first");
        var memory = Assert.ThrowsExactly<UserInputException>(() => ImageFile.Read(path, new ImageLimits(long.MaxValue, long.MaxValue, 1 << 20)));
        StringAssert.Contains(memory.Message, "decoding 1000×800 pixels needs 3 MiB, more than the 1 MiB allowed");
    }

    [TestMethod]
    public void Read_HeaderClaimingTenGigapixels_IsRefusedFromTheHeaderAlone()
    {
        using var dir = new TempDirectory();
        // A valid 1×1 PNG whose header is rewritten to claim 100,000 × 100,000 pixels (CRC fixed up by re-encoding the chunk).
        var png = TestImages.InterlacedPng(new Raster(1, 1, PixelLayout.Gray, [0]));
        var lying = TestImages.InterlacedPng(new Raster(1, 1, PixelLayout.Gray, [0]), claimedWidth: 100_000, claimedHeight: 100_000);
        Assert.AreEqual(1, ImageFile.Decode(png, "honest.png").Width);

        var error = Assert.ThrowsExactly<UserInputException>(() => ImageFile.Decode(lying, "bomb.png"));

        StringAssert.StartsWith(error.Message, "bomb.png: 100000×100000 is 10000 megapixels, more than the 200 an image may have");
    }

    [TestMethod]
    public void Read_DamagedOrForeignFiles_SayWhatIsWrong()
    {
        using var dir = new TempDirectory();
        var jpeg = TestImages.Encode(TestImages.Marked(400, 300, 100), SKEncodedImageFormat.Jpeg);
        var cut = Assert.ThrowsExactly<UserInputException>(() => ImageFile.Decode(jpeg[..(jpeg.Length / 2)], "cut.jpg"));
        StringAssert.Contains(cut.Message, "cut.jpg: the file is cut short; save or download it again");

        var text = Assert.ThrowsExactly<UserInputException>(() => ImageFile.Decode("hello, world"u8.ToArray(), "notes.txt"));
        Assert.AreEqual("notes.txt: not an image format this program reads; use a PNG, JPEG, BMP, GIF, WebP or PGM image", text.Message);
        var ppm = Assert.ThrowsExactly<UserInputException>(() => ImageFile.Decode("P6 1 1 255\n\0\0\0"u8.ToArray(), "c.ppm"));
        StringAssert.Contains(ppm.Message, "a PBM/PPM file");
        var empty = Assert.ThrowsExactly<UserInputException>(() => ImageFile.Read(dir.Write("empty.png", [])));
        StringAssert.Contains(empty.Message, "the file is empty");
        var missing = Assert.ThrowsExactly<UserInputException>(() => ImageFile.Read(dir.File("nowhere.png")));
        StringAssert.Contains(missing.Message, "does not exist");
    }

    [TestMethod]
    public void Downscale_AveragesWholeBlocksOfEveryChannel()
    {
        var pixels = Enumerable.Range(0, 10 * 7 * 2).Select(i => (byte)(i * 37 % 256)).ToArray();
        var image = new Raster(10, 7, PixelLayout.GrayAlpha, pixels);

        var small = Downscale.ToAtLeast(image, 3);

        Assert.AreEqual((3, 2), (small.Width, small.Height), "k = 3: the partial blocks at the right and bottom are dropped");
        for (int y = 0; y < 2; y++)
        {
            for (int x = 0; x < 3; x++)
            {
                for (int c = 0; c < 2; c++)
                {
                    double sum = 0;
                    for (int dy = 0; dy < 3; dy++)
                    {
                        for (int dx = 0; dx < 3; dx++)
                        {
                            sum += pixels[((3 * y + dy) * 10 + 3 * x + dx) * 2 + c];
                        }
                    }
                    Assert.AreEqual(Math.Round(sum / 9, MidpointRounding.AwayFromZero), small.Pixels[(y * 3 + x) * 2 + c], 0.5001, $"({x}, {y}) channel {c}");
                }
            }
        }
        Assert.AreSame(image, Downscale.ToAtLeast(image, 6), "no whole factor keeps 6 pixels: unchanged");
    }

    [TestMethod]
    public void PngFile_WritesEveryLayout_AndReadsBackTheSamePixels()
    {
        using var dir = new TempDirectory();
        var random = new Random(5);
        foreach (var layout in Enum.GetValues<PixelLayout>())
        {
            var pixels = new byte[7 * 5 * (int)layout];
            random.NextBytes(pixels);
            if (layout is PixelLayout.GrayAlpha or PixelLayout.Rgba)
            {
                // Fully opaque: premultiplication would round translucent colours.
                for (int i = (int)layout - 1; i < pixels.Length; i += (int)layout)
                {
                    pixels[i] = 255;
                }
            }
            var image = new Raster(7, 5, layout, pixels);
            string path = dir.File($"{layout}.png");

            PngFile.Write(path, image);

            var read = ImageFile.Read(path);
            for (int i = 0; i < 35; i++)
            {
                int c = (int)layout;
                byte expectedRed = pixels[i * c];
                Assert.AreEqual(expectedRed, read.Pixels[i * 4], $"{layout} pixel {i}");
                Assert.AreEqual(c >= 3 ? pixels[i * c + 2] : expectedRed, read.Pixels[i * 4 + 2], $"{layout} pixel {i} blue");
            }
        }
    }
}
