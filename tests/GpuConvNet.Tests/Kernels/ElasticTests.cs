using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>
/// Elastic distortion: the displacement fields against the float64 reference, the gather that adds them to the affine
/// transform against its reference, and the properties training relies on (α = 0 is the affine gather bit for bit, the
/// field's spread, repeats by (seed, step)).
/// </summary>
public abstract class ElasticTests : AcceleratorTest
{
    // The field sums (2·radius + 1)² products of float taps and noise; its float rounding is a few ulps of α relative
    // (taps rounded once, the sums' errors ~1e-7 each): 1e-5·α leaves room for the engines' orders of summation.
    private const double FieldTolerance = 1e-5;

    // As AffineGatherTests': a source coordinate off by ε moves a pixel by at most 3.3·ε after normalisation.
    private const double GatherTolerance = 2e-4;

    [TestMethod]
    [DataRow(3, 28, 28, 34f, 4f, 1, 1)]            // MNIST's usual
    [DataRow(5, 9, 13, 8f, 3f, -7, 12345)]         // odd sizes, batch not a power of two, a radius reaching past the image
    [DataRow(3, 5, 3, 1f, 0.3f, 2, 2)]             // radius 1
    [DataRow(2, 4, 6, 2f, 10f, 9, -1)]             // σ far beyond the image: every tap of the window that is inside counts
    [DataRow(1, 1, 1, 5f, 1f, 0, 0)]
    public void Field_MatchesReference(int batch, int height, int width, float alpha, float sigma, int seed, int step)
    {
        var distortion = new ElasticDistortion(alpha, sigma);
        int taps = 2 * Elastic.Radius(sigma) + 1;
        LeaveLargeCasesToCompiledEngines(2L * batch * 2 * height * width * taps);
        var field = DeviceField(batch, height, width, distortion, seed, step);
        var expected = ElasticReference.Field(batch, height, width, distortion, seed, step);
        TestData.AssertClose(expected, field, FieldTolerance * alpha, FieldTolerance, $"elastic field ({batch}, 2, {height}, {width}) {distortion} seed {seed} step {step}");
    }

    [TestMethod]
    [DataRow(50, 28, 28, 13, 37, 10f, 0.1f, 2f, 34f, 4f, 7, 3)]
    [DataRow(9, 5, 3, 2, 7, 30f, 0.2f, 1.5f, 8f, 3f, -3, 12345)]   // odd, non-square images; a negative seed
    [DataRow(20, 28, 28, 0, 5, 0f, 0f, 0f, 34f, 4f, 1, 1)]         // the distortion alone
    [DataRow(1, 1, 1, 0, 1, 45f, 0.3f, 0.5f, 3f, 1f, 1, 1)]
    public void GatherAffineDisplaced_MatchesReference(int count, int height, int width, int start, int batch, float degrees, float scale, float shift,
        float alpha, float sigma, int seed, int step)
    {
        LeaveLargeCasesToCompiledEngines(2L * batch * height * width * (2 * Elastic.Radius(sigma) + 1));
        var transform = new RandomAffine(degrees, scale, shift, seed, step);
        var field = DeviceField(batch, height, width, new ElasticDistortion(alpha, sigma), seed, step);
        var (x, y) = GatherDisplaced(count, height, width, start, batch, transform, field);
        var (images, labels, indices) = AffineGatherTests.Data(count, height * width, batch);
        // The reference gathers with the device's field: the field's own rounding is Field_MatchesReference's to check.
        var (expectedX, expectedY) = AffineGatherReference.Gather(images, labels, indices, start, batch, height, width, Normalization.Mnist, transform,
            Array.ConvertAll(field, v => (double)v));
        string what = $"displaced gather {count}×{height}×{width} [{start}, +{batch}) {transform} α {alpha} σ {sigma}";
        TestData.AssertClose(expectedX, x, GatherTolerance, GatherTolerance, what);
        CollectionAssert.AreEqual(expectedY, y, what + ": labels");
        Assert.IsTrue(field.Any(v => Math.Abs(v) > 0.01f * alpha) || height * width == 1, "the field displaces something");
    }

    [TestMethod]
    public void ZeroAlpha_IsTheAffineGather_BitForBit()
    {
        var transform = new RandomAffine(15f, 0.15f, 2f, 4, 5);
        var field = DeviceField(11, 28, 28, new ElasticDistortion(0f, 4f), 4, 5);
        Assert.IsTrue(field.All(v => v == 0f), "α = 0 displaces nothing");
        var (displaced, _) = GatherDisplaced(20, 28, 28, 6, 11, transform, field);

        var (images, labels, indices) = AffineGatherTests.Data(20, 28 * 28, 11);
        using var dimages = Accelerator.Allocate(images);
        using var dlabels = Accelerator.Allocate(labels);
        using var dindices = Accelerator.Allocate(indices);
        using var x = TestData.Poisoned(Accelerator, 11 * 28 * 28);
        using var y = Accelerator.Allocate<int>(11);
        AffineGather.Batch(Accelerator, dimages.View, dlabels.View, dindices.View, x.View, y.View, 6, 11, 28, 28, Normalization.Mnist, transform);
        CollectionAssert.AreEqual(TinyMnist.Bits(x.ToArray()), TinyMnist.Bits(displaced));
    }

    [TestMethod]
    public void Field_HasTheSpreadOfSmoothedUniformNoise()
    {
        // Away from the borders, u = α·Σᵢⱼ gᵢgⱼ·nᵢⱼ with n uniform on [−1, 1) (variance 1/3): mean 0, variance
        // α²·(Σ g²)²/3. Neighbouring values share most of their noise, so the 2·8·40·40 interior values are worth a
        // few hundred independent ones: 15 % on the variance, 0.15 of the standard deviation on the mean.
        const int batch = 8, side = 52, radius = 6;
        var distortion = new ElasticDistortion(10f, 2f);
        Assert.AreEqual(radius, Elastic.Radius(distortion.Sigma));
        LeaveLargeCasesToCompiledEngines(2L * batch * 2 * side * side * (2 * radius + 1));
        var field = DeviceField(batch, side, side, distortion, 11, 3);
        var interior = new List<double>();
        for (int plane = 0; plane < 2 * batch; plane++)
        {
            for (int r = radius; r < side - radius; r++)
            {
                for (int c = radius; c < side - radius; c++)
                {
                    interior.Add(field[(plane * side + r) * side + c]);
                }
            }
        }
        double squares = Elastic.Taps(distortion.Sigma).Sum(g => (double)g * g);
        double expected = distortion.Alpha * distortion.Alpha * squares * squares / 3;
        double mean = interior.Average();
        double variance = interior.Average(v => (v - mean) * (v - mean));
        Assert.AreEqual(1, variance / expected, 0.15, $"variance {variance} against {expected}");
        Assert.AreEqual(0, mean / Math.Sqrt(expected), 0.15, $"mean {mean}");
        Assert.IsLessThan(distortion.Alpha, field.Max(Math.Abs), "|u| ≤ α·Σg·Σg = α");
    }

    [TestMethod]
    public void SameSeedAndStep_RepeatTheBatch_AnotherStepOrSeedDrawsAnother()
    {
        var distortion = new ElasticDistortion(8f, 3f);
        var transform = new RandomAffine(10f, 0.1f, 1f, 1, 1);
        float[] Batch(int seed, int step) =>
            GatherDisplaced(20, 12, 10, 0, 6, transform with { Seed = seed, Step = step }, DeviceField(6, 12, 10, distortion, seed, step)).X;
        var first = Batch(1, 1);
        CollectionAssert.AreEqual(TinyMnist.Bits(first), TinyMnist.Bits(Batch(1, 1)), "the same (seed, step) repeats bit for bit");
        CollectionAssert.AreNotEqual(TinyMnist.Bits(first), TinyMnist.Bits(Batch(1, 2)), "step 2 draws another batch");
        CollectionAssert.AreNotEqual(TinyMnist.Bits(first), TinyMnist.Bits(Batch(2, 1)), "seed 2 draws another batch");
        // The field alone, too: the affine draws change with the step as well.
        var field = DeviceField(6, 12, 10, distortion, 1, 1);
        CollectionAssert.AreNotEqual(TinyMnist.Bits(field), TinyMnist.Bits(DeviceField(6, 12, 10, distortion, 1, 2)), "the field changes with the step");
    }

    [TestMethod]
    public void Elastic_WithBadArguments_NamesOpAndProblem()
    {
        using var taps = Accelerator.Allocate(Elastic.Taps(1f));
        using var rows = Accelerator.Allocate<float>(2 * 3 * 4 * 5);
        using var field = Accelerator.Allocate<float>(2 * 3 * 4 * 5);
        string Fails(ElasticDistortion distortion, int batch = 3, int fieldLength = 2 * 3 * 4 * 5) =>
            Assert.ThrowsExactly<ArgumentException>(() => Elastic.Field(Accelerator, taps.View, rows.View, field.View.SubView(0, fieldLength), batch, 4, 5,
                distortion, 1, 1)).Message;
        StringAssert.Contains(Fails(new(-1f, 1f)), "Elastic: α is -1 pixels; it must be a finite number ≥ 0");
        StringAssert.Contains(Fails(new(float.NaN, 1f)), "Elastic: α is NaN pixels");
        StringAssert.Contains(Fails(new(float.PositiveInfinity, 1f)), "Elastic: α is Infinity pixels");
        StringAssert.Contains(Fails(new(34f, 0f)), "Elastic: σ is 0 pixels; it must be more than 0 and at most 100");
        StringAssert.Contains(Fails(new(34f, 101f)), "Elastic: σ is 101 pixels");
        StringAssert.Contains(Fails(new(34f, 2f)), "Elastic: taps has 7 elements but σ = 2's taps (radius 6) needs 13");
        StringAssert.Contains(Fails(new(34f, 1f), fieldLength: 100), "Elastic: field has 100 elements but field (3, 2, 4, 5) needs 120");
        StringAssert.Contains(Fails(new(34f, 1f), batch: 0), "Elastic: batch is 0; it must be positive");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Elastic.Taps(float.NaN)).Message, "Elastic: σ is NaN pixels");

        using var images = Accelerator.Allocate<byte>(10 * 4 * 5);
        using var labels = Accelerator.Allocate<int>(10);
        using var indices = Accelerator.Allocate<int>(10);
        using var x = Accelerator.Allocate<float>(3 * 4 * 5);
        using var y = Accelerator.Allocate<int>(3);
        var message = Assert.ThrowsExactly<ArgumentException>(() => AffineGather.Batch(Accelerator, images.View, labels.View, indices.View, x.View, y.View,
            0, 3, 4, 5, Normalization.Mnist, new RandomAffine(0f, 0f, 0f, 1, 1), field.View.SubView(0, 60))).Message;
        StringAssert.Contains(message, "AffineGather: displacement has 60 elements but displacement (3, 2, 4, 5) needs 120");
    }

    private float[] DeviceField(int batch, int height, int width, ElasticDistortion distortion, int seed, int step)
    {
        using var taps = Accelerator.Allocate(Elastic.Taps(distortion.Sigma));
        using var rows = TestData.Poisoned(Accelerator, 2 * batch * height * width);
        using var field = TestData.Poisoned(Accelerator, 2 * batch * height * width);
        Elastic.Field(Accelerator, taps.View, rows.View, field.View, batch, height, width, distortion, seed, step);
        return field.ToArray();
    }

    private (float[] X, int[] Y) GatherDisplaced(int count, int height, int width, int start, int batch, RandomAffine transform, float[] field)
    {
        var (images, labels, indices) = AffineGatherTests.Data(count, height * width, batch);
        using var dimages = Accelerator.Allocate(images);
        using var dlabels = Accelerator.Allocate(labels);
        using var dindices = Accelerator.Allocate(indices);
        using var dfield = Accelerator.Allocate(field);
        using var x = TestData.Poisoned(Accelerator, batch * height * width);
        using var y = Accelerator.Allocate<int>(batch);
        y.Fill(-1);
        AffineGather.Batch(Accelerator, dimages.View, dlabels.View, dindices.View, x.View, y.View, start, batch, height, width, Normalization.Mnist,
            transform, dfield.View);
        return (x.ToArray(), y.ToArray());
    }
}

/// <summary>The elastic noise and taps on the host: the reference's hash agrees with the kernels', the noise is uniform, the taps a normalised Gaussian.</summary>
[TestClass]
public sealed class ElasticDrawsTests
{
    [TestMethod]
    public void Reference_AgreesWithTheKernelDraws_AndIsUniform()
    {
        const int batch = 3, height = 7, width = 9;
        var noise = ElasticReference.Noise(batch, height, width, -11, 4);
        uint stepKey = Elastic.StepKey(unchecked((uint)-11), 4);
        for (int b = 0; b < batch; b++)
        {
            uint key = CounterHash.Mix(stepKey ^ (uint)b);
            for (int k = 0; k < 2 * height * width; k++)
            {
                Assert.AreEqual(noise[b * 2 * height * width + k], AffineGatherKernels.Uniform(key, (uint)k), 0.0, $"sample {b}, element {k}");
            }
        }
        var many = ElasticReference.Noise(16, 28, 28, 1, 1);
        Assert.IsTrue(many.All(v => v is >= -1 and < 1), "in [−1, 1)");
        // 25,088 draws: the mean's standard error is 0.0036, the variance's ~0.0017.
        Assert.AreEqual(0, many.Average(), 0.015, "mean");
        Assert.AreEqual(1.0 / 3, many.Average(v => v * v), 0.01, "variance");
        // Sample 0's first four noise values are not the affine draws (angle, scale, dx, dy) at the same seed and step.
        uint affineKey = CounterHash.Mix(AffineGather.StepKey(1, 1));
        var first = ElasticReference.Noise(1, 28, 28, 1, 1);
        for (uint k = 0; k < 4; k++)
        {
            Assert.AreNotEqual(first[k], AffineGatherKernels.Uniform(affineKey, k), $"draw {k} is the affine transform's");
        }
    }

    [TestMethod]
    [DataRow(0.3f, 1)]
    [DataRow(1f, 3)]
    [DataRow(4f, 12)]
    [DataRow(4.1f, 13)]
    public void Taps_AreANormalisedGaussianTruncatedAtThreeSigma(float sigma, int radius)
    {
        var taps = Elastic.Taps(sigma);
        Assert.AreEqual(radius, Elastic.Radius(sigma));
        Assert.HasCount(2 * radius + 1, taps);
        Assert.AreEqual(1.0, taps.Sum(t => (double)t), 1e-6, "the taps sum to 1");
        for (int j = 1; j <= radius; j++)
        {
            Assert.AreEqual(taps[radius - j], taps[radius + j], $"symmetric at {j}");
            Assert.AreEqual(Math.Exp(-j * j / (2.0 * sigma * sigma)), taps[radius + j] / (double)taps[radius], 1e-6, $"Gaussian at {j}");
        }
    }
}
