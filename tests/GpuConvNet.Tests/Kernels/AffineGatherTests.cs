using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>Batch gather under random rotations, scales and shifts against the reference: labels exactly, pixels to float rounding.</summary>
public abstract class AffineGatherTests : AcceleratorTest
{
    // A pixel is a bilinear mix of bytes, so a source coordinate off by ε moves it by at most 255·ε bytes, 3.3·ε after
    // normalisation. Coordinates up to ~30 carry a few float ulps (~1e-5) and the engines' sine and cosine a few more:
    // 2e-4 bounds that, while a tap read from the wrong pixel is off by ~1 (random bytes differ by 85 on average).
    private const double Tolerance = 2e-4;

    [TestMethod]
    [DataRow(50, 28, 28, 0, 50, 15f, 0.15f, 2f, 7, 1)]
    [DataRow(50, 28, 28, 13, 37, 180f, 0.5f, 3f, 7, 2)]     // any turn, and halving or 1.5× the size
    [DataRow(9, 5, 3, 2, 7, 30f, 0.2f, 1.5f, -3, 12345)]   // odd, non-square images; a negative seed is another bit pattern
    [DataRow(9, 5, 3, 0, 9, 0f, 0f, 10f, 1, 1)]            // shifts beyond the image: most samples become background
    [DataRow(50, 28, 28, 0, 1, 10f, 0.1f, 0f, 0, 0)]       // batch 1, no translation
    [DataRow(1, 1, 1, 0, 1, 45f, 0.3f, 0.5f, 1, 1)]
    public void GatherAffine_MatchesReference(int count, int height, int width, int start, int batch, float degrees, float scale, float shift, int seed, int step)
    {
        Check(count, height, width, start, batch, new RandomAffine(degrees, scale, shift, seed, step));
    }

    [TestMethod]
    public void GatherAffine_WithoutATransform_IsThePlainGather_BitForBit()
    {
        // θ = 0, s = 1 and no shift put every source coordinate on its own pixel with weight 1: exactly the bytes Gather reads.
        var affine = Check(20, 28, 28, 3, 10, new RandomAffine(0f, 0f, 0f, 9, 9));
        var (images, labels, indices) = Data(20, 28 * 28, 10);
        using var dimages = Accelerator.Allocate(images);
        using var dlabels = Accelerator.Allocate(labels);
        using var dindices = Accelerator.Allocate(indices);
        using var x = TestData.Poisoned(Accelerator, 10 * 28 * 28);
        using var y = Accelerator.Allocate<int>(10);
        Gather.Batch(Accelerator, dimages.View, dlabels.View, dindices.View, x.View, y.View, 3, 10, 28, 28, Normalization.Mnist);
        CollectionAssert.AreEqual(TinyMnist.Bits(x.ToArray()), TinyMnist.Bits(affine));
    }

    [TestMethod]
    public void GatherAffine_DrawsAfreshEachStep()
    {
        var first = Check(20, 28, 28, 0, 20, new RandomAffine(10f, 0.1f, 1f, 1, 1));
        var second = Check(20, 28, 28, 0, 20, new RandomAffine(10f, 0.1f, 1f, 1, 2));
        CollectionAssert.AreNotEqual(first, second, "steps 1 and 2 transformed every sample alike");
    }

    [TestMethod]
    public void AffineGather_WithBadArguments_NamesOpAndProblem()
    {
        using var images = Accelerator.Allocate<byte>(10 * 4);
        using var labels = Accelerator.Allocate<int>(10);
        using var indices = Accelerator.Allocate<int>(10);
        using var x = Accelerator.Allocate<float>(3 * 4);
        using var y = Accelerator.Allocate<int>(3);
        void Run(int start, int height, RandomAffine transform) =>
            AffineGather.Batch(Accelerator, images.View, labels.View, indices.View, x.View, y.View, start, 3, height, 2, Normalization.Mnist, transform);
        var fine = new RandomAffine(10f, 0.1f, 2f, 1, 1);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Run(8, 2, fine)).Message, "AffineGather: samples [8, 11) are not all in the 10 indices");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Run(0, 3, fine)).Message, "AffineGather: images has 40 elements but 10 labelled images of 3×2 needs 60");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Run(0, 2, fine with { MaxDegrees = 181f })).Message,
            "AffineGather: the largest rotation is 181°; it must lie in [0, 180]");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Run(0, 2, fine with { MaxScale = 1f })).Message,
            "AffineGather: the largest change of scale is 1; it must lie in [0, 1)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Run(0, 2, fine with { MaxShift = float.NaN })).Message,
            "AffineGather: the largest shift is NaN pixels");
    }

    private float[] Check(int count, int height, int width, int start, int batch, RandomAffine transform)
    {
        int pixels = height * width;
        var (images, labels, indices) = Data(count, pixels, batch);
        using var dimages = Accelerator.Allocate(images);
        using var dlabels = Accelerator.Allocate(labels);
        using var dindices = Accelerator.Allocate(indices);
        using var x = TestData.Poisoned(Accelerator, batch * pixels);
        using var y = Accelerator.Allocate<int>(batch);
        y.Fill(-1);
        AffineGather.Batch(Accelerator, dimages.View, dlabels.View, dindices.View, x.View, y.View, start, batch, height, width, Normalization.Mnist, transform);
        var (expectedX, expectedY) = AffineGatherReference.Gather(images, labels, indices, start, batch, height, width, Normalization.Mnist, transform);
        var actual = x.ToArray();
        string what = $"affine gather {count}×{height}×{width} [{start}, +{batch}) {transform}";
        TestData.AssertClose(expectedX, actual, Tolerance, Tolerance, what);
        CollectionAssert.AreEqual(expectedY, y.ToArray(), what + ": labels");
        return actual;
    }

    internal static (byte[] Images, int[] Labels, int[] Indices) Data(int count, int pixels, int batch)
    {
        var random = new Random(count * 31 + pixels + batch);
        var images = new byte[count * pixels];
        random.NextBytes(images);
        images[0] = 0;
        images[^1] = 255;
        var labels = Enumerable.Range(0, count).Select(_ => random.Next(10)).ToArray();
        var indices = Enumerable.Range(0, count).ToArray();
        random.Shuffle(indices);
        return (images, labels, indices);
    }
}

/// <summary>The affine draws and the reference's geometry: the draws cover their ranges and agree with the kernels' copy; the transform moves a blob where it says.</summary>
[TestClass]
public sealed class RandomAffineTests
{
    [TestMethod]
    public void Draws_CoverTheirRangesNearUniformly()
    {
        var transform = new RandomAffine(10f, 0.1f, 2f, 42, 7);
        var draws = Enumerable.Range(0, 5000).Select(b => AffineGatherReference.Transform(transform, b)).ToList();
        double radians = AffineGather.Radians(10f);
        foreach (var (name, values, bound, centre) in new (string, double[], double, double)[]
        {
            ("angle", [.. draws.Select(d => d.Angle)], radians, 0), ("scale", [.. draws.Select(d => d.Scale)], 0.1, 1),
            ("dx", [.. draws.Select(d => d.Dx)], 2, 0), ("dy", [.. draws.Select(d => d.Dy)], 2, 0),
        })
        {
            Assert.IsTrue(values.All(v => Math.Abs(v - centre) <= bound), $"{name} within ±{bound} of {centre}");
            // Uniform on [−1, 1): the mean's standard error over 5,000 draws is 0.008 of the bound, its variance 1/3.
            Assert.AreEqual(0, (values.Average() - centre) / bound, 0.04, $"{name}: mean");
            Assert.AreEqual(1.0 / 3, values.Average(v => (v - centre) * (v - centre)) / (bound * bound), 0.03, $"{name}: variance");
        }
        Assert.IsGreaterThan(4990, draws.Select(d => d.Angle).Distinct().Count(), "angles hardly repeat");
    }

    [TestMethod]
    public void Reference_AgreesWithTheKernelDraws()
    {
        // The kernels' [KernelFunction] draws also run on the host: the two independent copies must agree.
        for (int b = 0; b < 1000; b++)
        {
            var transform = new RandomAffine(20f, 0.2f, 3f, b * 7919 - 5000, b / 3);
            uint key = CounterHash.Mix(AffineGather.StepKey(unchecked((uint)transform.Seed), unchecked((uint)transform.Step)) ^ (uint)b);
            var expected = AffineGatherReference.Transform(transform, b);
            Assert.AreEqual(expected.Angle, AffineGather.Radians(20f) * AffineGatherKernels.Uniform(key, 0), 1e-7, $"sample {b}: angle");
            Assert.AreEqual(expected.Scale, 1 + 0.2f * AffineGatherKernels.Uniform(key, 1), 1e-7, $"sample {b}: scale");
            Assert.AreEqual(expected.Dx, 3f * AffineGatherKernels.Uniform(key, 2), 1e-6, $"sample {b}: dx");
            Assert.AreEqual(expected.Dy, 3f * AffineGatherKernels.Uniform(key, 3), 1e-6, $"sample {b}: dy");
        }
    }

    [TestMethod]
    public void Reference_TurnsScalesAndMovesABlobAsDocumented()
    {
        // A 3×3 blob off the centre: its centre of mass must land at centre + s·R(θ)·(blob − centre) + (dx, dy).
        const int side = 28;
        var image = new byte[side * side];
        for (int r = 7; r < 10; r++)
        {
            for (int c = 17; c < 20; c++)
            {
                image[r * side + c] = 255;
            }
        }
        var transform = new RandomAffine(40f, 0.2f, 2f, 5, 3);
        var (x, _) = AffineGatherReference.Gather(image, [0], [0], 0, 1, side, side, new Normalization(0f, 1f), transform);
        var (angle, scale, dx, dy) = AffineGatherReference.Transform(transform, 0);
        double centre = (side - 1) / 2.0, u = 18 - centre, v = 8 - centre;
        double expectedX = centre + scale * (Math.Cos(angle) * u - Math.Sin(angle) * v) + dx;
        double expectedY = centre + scale * (Math.Sin(angle) * u + Math.Cos(angle) * v) + dy;
        double mass = x.Sum();
        double massX = Enumerable.Range(0, x.Length).Sum(i => x[i] * (i % side)) / mass;
        double massY = Enumerable.Range(0, x.Length).Sum(i => x[i] * (i / side)) / mass;
        Assert.IsGreaterThan(1.0, Math.Abs(angle) * 10, "the draw turns the blob noticeably");
        Assert.AreEqual(expectedX, massX, 0.15, "centre of mass, x");
        Assert.AreEqual(expectedY, massY, 0.15, "centre of mass, y");
        Assert.AreEqual(9 * scale * scale, mass, 0.5, "the blob's area scales by s²");
    }
}
