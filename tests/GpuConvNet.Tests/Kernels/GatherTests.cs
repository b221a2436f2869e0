using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>Batch gather (plain and randomly shifted) against the reference: labels exactly, pixels to float rounding.</summary>
public abstract class GatherTests : AcceleratorTest
{
    // x is at most (1 − 0.1307) / 0.3081 ≈ 2.8 in magnitude, computed with three float roundings (÷255, −mean, ÷std):
    // ≲ 3 ulps of 2.8 ≈ 7e-7, so 1e-6 absolute (plus 1e-6 relative) bounds it.
    private const double Tolerance = 1e-6;

    [TestMethod]
    [DataRow(50, 28, 28, 0, 1)]        // batch 1
    [DataRow(50, 28, 28, 13, 37)]      // a batch that ends exactly at the last index
    [DataRow(50, 28, 28, 0, 50)]       // the whole permutation
    [DataRow(9, 5, 3, 2, 7)]           // odd, non-square images
    [DataRow(1, 1, 1, 0, 1)]
    public void Gather_MatchesReference(int count, int height, int width, int start, int batch)
    {
        Check(count, height, width, start, batch, shift: null);
    }

    [TestMethod]
    [DataRow(50, 28, 28, 0, 50, 2, 7, 1)]
    [DataRow(50, 28, 28, 13, 37, 3, 7, 2)]
    [DataRow(50, 28, 28, 5, 20, 2, -3, 12345)]     // a negative seed is just another 32-bit pattern
    [DataRow(9, 5, 3, 2, 7, 4, 1, 1)]              // shifts larger than the image: whole samples become background
    [DataRow(50, 28, 28, 0, 1, 1, 0, 0)]
    public void GatherShifted_MatchesReference(int count, int height, int width, int start, int batch, int maxShift, int seed, int step)
    {
        Check(count, height, width, start, batch, new RandomShift(maxShift, seed, step));
    }

    [TestMethod]
    public void GatherShifted_WithMaxShiftZero_IsThePlainGather()
    {
        var plain = Check(20, 28, 28, 3, 10, shift: null);
        var unshifted = Check(20, 28, 28, 3, 10, new RandomShift(0, 9, 9));
        CollectionAssert.AreEqual(plain, unshifted);
    }

    [TestMethod]
    public void GatherShifted_DrawsAfreshEachStep()
    {
        var first = Check(20, 28, 28, 0, 20, new RandomShift(2, 1, 1));
        var second = Check(20, 28, 28, 0, 20, new RandomShift(2, 1, 2));
        CollectionAssert.AreNotEqual(first, second, "steps 1 and 2 shifted every sample alike");
    }

    [TestMethod]
    public void Gather_WithBadShapes_NamesOpAndProblem()
    {
        using var images = Accelerator.Allocate<byte>(10 * 4);
        using var labels = Accelerator.Allocate<int>(10);
        using var indices = Accelerator.Allocate<int>(10);
        using var x = Accelerator.Allocate<float>(3 * 4);
        using var y = Accelerator.Allocate<int>(3);
        var past = Assert.ThrowsExactly<ArgumentException>(() =>
            Gather.Batch(Accelerator, images.View, labels.View, indices.View, x.View, y.View, 8, 3, 2, 2, Normalization.Mnist));
        StringAssert.Contains(past.Message, "Gather: samples [8, 11) are not all in the 10 indices");
        var wrongImages = Assert.ThrowsExactly<ArgumentException>(() =>
            Gather.Batch(Accelerator, images.View, labels.View, indices.View, x.View, y.View, 0, 3, 2, 3, Normalization.Mnist));
        StringAssert.Contains(wrongImages.Message, "Gather: images has 40 elements but 10 labelled images of 2×3 needs 60");
        var wrongX = Assert.ThrowsExactly<ArgumentException>(() =>
            Gather.Batch(Accelerator, images.View, labels.View, indices.View, x.View, y.View, 0, 2, 2, 2, Normalization.Mnist));
        StringAssert.Contains(wrongX.Message, "Gather: x has 12 elements but x (2, 1, 2, 2) needs 8");
        var std = Assert.ThrowsExactly<ArgumentException>(() =>
            Gather.Batch(Accelerator, images.View, labels.View, indices.View, x.View, y.View, 0, 3, 2, 2, new Normalization(0.5f, 0f)));
        StringAssert.Contains(std.Message, "Gather: normalisation needs");
        var shift = Assert.ThrowsExactly<ArgumentException>(() =>
            Gather.Batch(Accelerator, images.View, labels.View, indices.View, x.View, y.View, 0, 3, 2, 2, Normalization.Mnist, new RandomShift(-1, 0, 0)));
        StringAssert.Contains(shift.Message, "Gather: the maximum shift is -1");
    }

    private float[] Check(int count, int height, int width, int start, int batch, RandomShift? shift)
    {
        int pixels = height * width;
        var random = new Random(count * 31 + pixels + batch);
        var images = new byte[count * pixels];
        random.NextBytes(images);
        images[0] = 0;
        images[^1] = 255;
        var labels = Enumerable.Range(0, count).Select(_ => random.Next(10)).ToArray();
        var indices = Enumerable.Range(0, count).ToArray();
        random.Shuffle(indices);
        using var dimages = Accelerator.Allocate(images);
        using var dlabels = Accelerator.Allocate(labels);
        using var dindices = Accelerator.Allocate(indices);
        using var x = TestData.Poisoned(Accelerator, batch * pixels);
        using var y = Accelerator.Allocate<int>(batch);
        y.Fill(-1);
        Gather.Batch(Accelerator, dimages.View, dlabels.View, dindices.View, x.View, y.View, start, batch, height, width, Normalization.Mnist, shift);
        var (expectedX, expectedY) = GatherReference.Gather(images, labels, indices, start, batch, height, width, Normalization.Mnist, shift);
        var actual = x.ToArray();
        string what = $"gather {count}×{height}×{width} [{start}, +{batch}) shift {shift}";
        TestData.AssertClose(expectedX, actual, Tolerance, Tolerance, what);
        CollectionAssert.AreEqual(expectedY, y.ToArray(), what + ": labels");
        return actual;
    }
}

/// <summary>The shift generator: its values are pinned, cover every shift, and agree with the kernels' copy.</summary>
[TestClass]
public sealed class RandomShiftTests
{
    [TestMethod]
    public void Shifts_CoverEveryOffsetNearUniformly()
    {
        const int s = 2, samples = 5000;
        var counts = new int[5, 5];
        for (int b = 0; b < samples; b++)
        {
            var (dx, dy) = GatherReference.Shift(new RandomShift(s, 42, 7), b);
            counts[dx + s, dy + s]++;
        }
        // 200 expected per cell; a binomial standard deviation is ≈ 14, so [120, 280] fails only a broken generator.
        foreach (int c in counts)
        {
            Assert.IsTrue(c is > 120 and < 280, $"a shift drawn {c} times of {samples} (expected ≈ 200)");
        }
    }

    [TestMethod]
    public void Reference_AgreesWithTheKernelHash()
    {
        // The kernels' [KernelFunction] hash also runs on the host: the two independent copies must agree bit for bit.
        for (int b = 0; b < 1000; b++)
        {
            var shift = new RandomShift(3, b * 7919 - 5000, b / 3);
            uint h = GatherKernels.SampleHash(unchecked((uint)shift.Seed), unchecked((uint)shift.Step), (uint)b);
            Assert.AreEqual(((int)(h % 7) - 3, (int)(CounterHash.Mix(h) % 7) - 3), GatherReference.Shift(shift, b), $"sample {b}");
        }
    }

    [TestMethod]
    public void Hash_IsPinned()
    {
        // Changing the hash changes every augmented run: these values (computed independently, in Python) make that a
        // deliberate decision.
        Assert.AreEqual(0u, CounterHash.Mix(0));
        Assert.AreEqual(PinnedMix1, CounterHash.Mix(1));
        Assert.AreEqual(PinnedSample, GatherKernels.SampleHash(1, 2, 3));
    }

    private const uint PinnedMix1 = 1753845952u;
    private const uint PinnedSample = 1066372762u;
}
