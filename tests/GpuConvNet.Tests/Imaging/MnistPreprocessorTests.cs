using GpuConvNet.Data;
using GpuConvNet.Imaging;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Imaging;

/// <summary>MNIST-style preparation of users' digit pictures: polarity, crop, 20-pixel box, centre of mass.</summary>
[TestClass]
public sealed class MnistPreprocessorTests
{
    private const int Width = 60;
    private const int Height = 100;

    [TestMethod]
    public void Prepare_ThickDarkOneOnLightPaper_IsCentredAndFitsTheBox()
    {
        var field = MnistPreprocessor.Prepare(DrawOne(paper: 235, ink: 25), "one.png");

        Assert.HasCount(28 * 28, field);
        var (cx, cy) = MnistPreprocessor.CentreOfMass(field.Select(p => (float)p).ToArray(), 28, 28);
        Assert.AreEqual(14, cx, 0.5, "centre of mass x");
        Assert.AreEqual(14, cy, 0.5, "centre of mass y");
        var (left, top, right, bottom) = Box(field);
        Assert.IsLessThanOrEqualTo(20, right - left, "box width");
        Assert.AreEqual(20, bottom - top, "the longer side is scaled to exactly 20 pixels");
        Assert.AreEqual(255, field.Max(), "the stroke's core is full ink");
        Assert.AreEqual(0, field[0], "the background is black");
    }

    [TestMethod]
    public void Prepare_LightOnDarkAndTransparentCanvas_GiveTheSameDigitAsDarkOnLight()
    {
        var darkOnLight = MnistPreprocessor.Prepare(DrawOne(paper: 235, ink: 25));
        var lightOnDark = MnistPreprocessor.Prepare(DrawOne(paper: 10, ink: 240));
        // Black strokes on a transparent canvas, as drawing programs export them.
        var strokes = DrawOne(paper: 0, ink: 255);
        var rgba = new byte[Width * Height * 4];
        for (int i = 0; i < Width * Height; i++)
        {
            rgba[4 * i + 3] = strokes.Pixels[i];
        }
        var transparent = MnistPreprocessor.Prepare(new Raster(Width, Height, PixelLayout.Rgba, rgba));
        AssertNearlyEqual(darkOnLight, lightOnDark);
        AssertNearlyEqual(darkOnLight, transparent);
    }

    [TestMethod]
    public void Prepare_WideDigit_ScalesWidthTo20AndKeepsAspect()
    {
        var pixels = Enumerable.Repeat((byte)255, 200 * 100).ToArray();
        for (int y = 40; y < 60; y++)
        {
            for (int x = 20; x < 180; x++)
            {
                pixels[y * 200 + x] = 0;     // a 160×20 dash: 20 × 2.5 after scaling
            }
        }
        var field = MnistPreprocessor.Prepare(new Raster(200, 100, PixelLayout.Gray, pixels));
        var (left, top, right, bottom) = Box(field);
        Assert.AreEqual(20, right - left);
        Assert.IsInRange(2, 4, bottom - top);
    }

    [TestMethod]
    public void Prepare_RealMnistDigitRedrawnLargeOnPaper_ComesBackAlmostUnchanged()
    {
        string dir = SharedData.MnistDirectory;
        var test = IdxFile.ReadImages(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"));
        foreach (int index in new[] { 0, 1, 2, 3, 4 })
        {
            var digit = test.Image(index);
            // Four times larger, dark on light, off centre in a bigger sheet: preparing it must undo all three.
            const int sheet = 160;
            var pixels = Enumerable.Repeat((byte)250, sheet * sheet).ToArray();
            for (int y = 0; y < 112; y++)
            {
                for (int x = 0; x < 112; x++)
                {
                    pixels[(y + 30) * sheet + x + 10] = (byte)(250 - digit[y / 4 * 28 + x / 4] * 240 / 255);
                }
            }
            var prepared = MnistPreprocessor.Prepare(new Raster(sheet, sheet, PixelLayout.Gray, pixels));
            double correlation = Correlation(digit.ToArray(), prepared);
            Assert.IsGreaterThan(0.98, correlation, $"test image {index}");
        }
    }

    [TestMethod]
    public void Prepare_BlankImage_SaysNoDigitFound()
    {
        var blank = new Raster(50, 50, PixelLayout.Rgb, Enumerable.Repeat((byte)200, 50 * 50 * 3).ToArray());
        var error = Assert.ThrowsExactly<UserInputException>(() => MnistPreprocessor.Prepare(blank, "blank.png"));
        StringAssert.Contains(error.Message, "blank.png: no digit found");
    }

    [TestMethod]
    public void AreaResample_HalvingAveragesPairs()
    {
        float[] source = [0, 1, 1, 1, 0, 0, 0, 0];
        var half = MnistPreprocessor.AreaResample(source, 4, 0, 0, 4, 2, 2, 1);
        CollectionAssert.AreEqual(new[] { 0.25f, 0.5f }, half);
    }

    // A thick "1" (a vertical bar with a flag and a foot) in the left half of a 60×100 sheet.
    private static Raster DrawOne(byte paper, byte ink)
    {
        var pixels = Enumerable.Repeat(paper, Width * Height).ToArray();
        void Fill(int x0, int y0, int x1, int y1)
        {
            for (int y = y0; y < y1; y++)
            {
                for (int x = x0; x < x1; x++)
                {
                    pixels[y * Width + x] = ink;
                }
            }
        }
        Fill(16, 12, 26, 88);   // stem
        for (int i = 0; i < 10; i++)
        {
            Fill(6 + i, 30 - 2 * i, 16, 32 - 2 * i);  // flag, rising to the stem
        }
        Fill(8, 80, 34, 88);    // foot
        return new Raster(Width, Height, PixelLayout.Gray, pixels);
    }

    private static (int Left, int Top, int Right, int Bottom) Box(byte[] field)
    {
        int left = 28, top = 28, right = 0, bottom = 0;
        for (int y = 0; y < 28; y++)
        {
            for (int x = 0; x < 28; x++)
            {
                if (field[y * 28 + x] > 0)
                {
                    (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x + 1), Math.Max(bottom, y + 1));
                }
            }
        }
        return (left, top, right, bottom);
    }

    private static void AssertNearlyEqual(byte[] expected, byte[] actual)
    {
        int worst = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.IsLessThanOrEqualTo(2, worst, "largest pixel difference");
    }

    private static double Correlation(byte[] a, byte[] b)
    {
        double meanA = a.Average(v => (double)v), meanB = b.Average(v => (double)v);
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sab += (a[i] - meanA) * (b[i] - meanB);
            saa += (a[i] - meanA) * (a[i] - meanA);
            sbb += (b[i] - meanB) * (b[i] - meanB);
        }
        return sab / Math.Sqrt(saa * sbb);
    }
}
