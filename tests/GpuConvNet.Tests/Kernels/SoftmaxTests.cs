using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>
/// Softmax, log-softmax, cross-entropy and binary cross-entropy against their float64 references: both row variants,
/// rows shorter and longer than a group, logits at overflow scale, and labels that are out of range.
/// </summary>
public abstract class SoftmaxTests : AcceleratorTest
{
    private static readonly SoftmaxVariant[] Variants = [SoftmaxVariant.RowPerLane, SoftmaxVariant.RowPerGroup];

    [TestMethod]
    [DataRow(1, 1, 1f)]
    [DataRow(1, 10, 1f)]
    [DataRow(64, 10, 5f)]
    [DataRow(7, 129, 3f)]      // one longer than a group of 128 lanes
    [DataRow(3, 1000, 2f)]
    [DataRow(5, 37, 1000f)]    // logits up to ±1000: e^x overflows float unless shifted by the row max
    public void SoftmaxAndLogSoftmax_EveryVariant_MatchReference(int rows, int classes, float scale)
    {
        var x = TestData.Uniform(rows * classes, seed: rows * 7 + classes, low: -scale, high: scale);
        using var dx = Accelerator.Allocate(x);
        using var dy = TestData.Poisoned(Accelerator, rows * classes);
        foreach (var variant in Variants)
        {
            foreach (bool log in new[] { false, true })
            {
                dy.Fill(float.NaN);
                Softmax.Forward(Accelerator, dx.View, dy.View, rows, classes, log, variant);
                var expected = SoftmaxReference.Forward(D(x), rows, classes, log);
                // Softmax: exp of a float difference (a few ulp of its value) over a float sum of `classes` terms ≤ 1
                // (≲ classes·ε relative). Log-softmax: x − max − log(sum) carries a few ulp of |x − max| ≤ 2·scale.
                double atol = log ? 4e-7 * scale + 1e-6 : 1e-7;
                double rtol = log ? 1e-6 : 1e-5 + 6e-8 * classes;
                TestData.AssertClose(expected, dy.ToArray(), atol, rtol, $"{(log ? "log-softmax" : "softmax")} {variant} ({rows}, {classes}) ×{scale}");
            }
        }
    }

    [TestMethod]
    public void ExtremeLogits_GiveNoNaNOrInfinity()
    {
        float[] x = [1000f, -1000f, 0f, 999f, -1000f, -1000f, -1000f, -1000f];
        using var dx = Accelerator.Allocate(x);
        using var dy = TestData.Poisoned(Accelerator, x.Length);
        foreach (var variant in Variants)
        {
            Softmax.Forward(Accelerator, dx.View, dy.View, 2, 4, log: false, variant);
            var softmax = dy.ToArray();
            TestData.AssertClose(SoftmaxReference.Forward(D(x), 2, 4), softmax, 1e-7, 1e-6, $"softmax {variant}");
            Softmax.LogForward(Accelerator, dx.View, dy.View, 2, 4, variant);
            var logSoftmax = dy.ToArray();
            Assert.IsTrue(logSoftmax.All(float.IsFinite), $"log-softmax {variant}: {string.Join(", ", logSoftmax)}");
            // −2000 exactly representable; log(1 + e^−1) rounds in the last place.
            TestData.AssertClose(SoftmaxReference.Forward(D(x), 2, 4, log: true), logSoftmax, 1e-4, 1e-6, $"log-softmax {variant}");
        }
    }

    [TestMethod]
    [DataRow(1, 10, 1f)]
    [DataRow(64, 10, 3f)]
    [DataRow(257, 3, 2f)]      // more rows than the reducing group has lanes
    [DataRow(6, 129, 1f)]
    [DataRow(4, 1000, 1000f)]
    public void CrossEntropy_LossAndBackward_MatchReference(int rows, int classes, float scale)
    {
        var x = TestData.Uniform(rows * classes, seed: rows + classes, low: -scale, high: scale);
        var random = new Random(rows * classes);
        var labels = Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray();
        using var dx = Accelerator.Allocate(x);
        using var dlabels = ClassLabels.Upload(Accelerator, labels, classes);
        using var loss = TestData.Poisoned(Accelerator, 1);
        CrossEntropy.Loss(Accelerator, dx.View, dlabels, loss.View, rows, classes);
        double expectedLoss = SoftmaxReference.CrossEntropy(D(x), labels, rows, classes);
        // Per row, logsumexp − x[label] in float: a few ulp of |x| ≤ scale plus log(classes); the mean adds ε·rows relative.
        TestData.AssertClose([expectedLoss], loss.ToArray(), 1e-6 * (scale + 1), 1e-6 * Math.Log2(rows + 1) + 1e-6, $"cross-entropy ({rows}, {classes})");

        var expectedGrad = SoftmaxReference.CrossEntropyBackward(D(x), labels, rows, classes);
        using var grad = TestData.Poisoned(Accelerator, rows * classes);
        foreach (var variant in Variants)
        {
            grad.Fill(float.NaN);
            CrossEntropy.Backward(Accelerator, dx.View, dlabels, grad.View, rows, classes, variant);
            // softmax − onehot: absolute error of p (≲ classes·ε) survives the cancellation p − 1, scaled by 1/rows.
            TestData.AssertClose(expectedGrad, grad.ToArray(), (1e-6 + 1e-7 * classes) / rows, 1e-5, $"cross-entropy backward {variant} ({rows}, {classes})");
        }
    }

    [TestMethod]
    public void Labels_OutOfRange_AreRejectedWhenUploaded()
    {
        var upload = Assert.ThrowsExactly<ArgumentException>(() => ClassLabels.Upload(Accelerator, [0, 9, 10], 10));
        StringAssert.Contains(upload.Message, "ClassLabels: label 10 at position 2 is outside the classes 0…9");
        using var labels = ClassLabels.Upload(Accelerator, [1, 2], 3);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => labels.CopyFromHost([0, -1])).Message, "label -1 at position 1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => labels.CopyFromHost([0])).Message, "ClassLabels: labels has 1 elements");
        Assert.AreEqual(2, labels.Count);
    }

    [TestMethod]
    public void BadLabelsOnTheDevice_GiveNaNNotOutOfBoundsReads()
    {
        // Labels written to the device without ClassLabels (as a corrupt buffer would be): the kernels must stay in
        // bounds (the CPU accelerator checks every access) and poison the loss and the bad rows with NaN.
        const int rows = 3, classes = 4;
        var x = TestData.Uniform(rows * classes, seed: 2);
        using var dx = Accelerator.Allocate(x);
        using var labels = Accelerator.Allocate(new[] { 1, 4, -1 });
        using var loss = Accelerator.Allocate<float>(1);
        Accelerator.Launch(SoftmaxKernels.CrossEntropyLoss, new KernelConfig(1, SoftmaxKernels.ReduceGroup), dx.View, labels.View, loss.View, rows, classes);
        Assert.IsTrue(float.IsNaN(loss.ToArray()[0]), "the loss over bad labels must be NaN");
        using var grad = Accelerator.Allocate<float>(rows * classes);
        Accelerator.Launch(SoftmaxKernels.CrossEntropyBackward, new Index1D(rows), dx.View, labels.View, grad.View, classes, 1f / rows);
        CheckBadRows(grad.ToArray(), x, "lane per row");
        grad.Fill(0f);
        Accelerator.Launch(SoftmaxKernels.CrossEntropyBackwardGrouped, new KernelConfig(rows, SoftmaxKernels.GroupSize), dx.View, labels.View, grad.View, classes, 1f / rows);
        CheckBadRows(grad.ToArray(), x, "group per row");

        static void CheckBadRows(float[] grad, float[] x, string what)
        {
            Assert.IsTrue(grad.Skip(classes).All(float.IsNaN), $"{what}: rows with bad labels must be NaN");
            var expected = SoftmaxReference.CrossEntropyBackward(D(x.Take(classes).ToArray()), [1], 1, classes);
            TestData.AssertClose(expected.Select(v => v / rows).ToArray(), grad.Take(classes).ToArray(), 1e-7, 1e-5, $"{what}: the good row");
        }
    }

    [TestMethod]
    public void BadShapes_NameTheOpAndTheMismatch()
    {
        using var x = Accelerator.Allocate<float>(20);
        using var loss = Accelerator.Allocate<float>(1);
        using var labels = ClassLabels.Upload(Accelerator, [0, 1, 2, 3], 5);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Softmax.Forward(Accelerator, x.View, x.View, 3, 5)).Message,
            "Softmax: x has 20 elements but x (3, 5) needs 15");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Softmax.LogForward(Accelerator, x.View, loss.View, 4, 5)).Message,
            "LogSoftmax: y has 1 elements");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => CrossEntropy.Loss(Accelerator, x.View, labels, loss.View, 2, 10)).Message,
            "CrossEntropy: label count and rows disagree (4 vs 2)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => CrossEntropy.Loss(Accelerator, x.View, labels, x.View, 4, 5)).Message,
            "CrossEntropy: loss has 20 elements but a scalar loss needs 1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => CrossEntropy.Backward(Accelerator, x.View, labels, x.View, 2, 10)).Message,
            "CrossEntropy backward: label count and rows disagree");
        using var labelsOf4 = ClassLabels.Upload(Accelerator, [0, 1, 2, 3], 4);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => CrossEntropy.Loss(Accelerator, x.View, labelsOf4, loss.View, 4, 5)).Message,
            "CrossEntropy: the labels' class count and the logits' classes disagree (4 vs 5)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => BinaryCrossEntropy.Loss(Accelerator, x.View, loss.View, loss.View)).Message,
            "BinaryCrossEntropy: t has 1 elements");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => BinaryCrossEntropy.BackwardFromLogits(Accelerator, x.View, x.View, loss.View)).Message,
            "SigmoidBinaryCrossEntropy backward: dz has 1 elements");
    }

    [TestMethod]
    [DataRow(1, false)]
    [DataRow(7, true)]
    [DataRow(1000, false)]
    [DataRow(5000, true)]      // more elements than the reducing group has lanes, many times over
    public void BinaryCrossEntropy_LossAndBackwards_MatchReference(int n, bool softTargets)
    {
        var z = TestData.Uniform(n, seed: n, low: -4f, high: 4f);
        var p = z.Select(v => 1f / (1f + MathF.Exp(-v))).ToArray();
        var t = softTargets ? TestData.Uniform(n, seed: n + 1, low: 0f, high: 1f) : TestData.Uniform(n, seed: n + 1).Select(v => v > 0 ? 1f : 0f).ToArray();
        using var dz = Accelerator.Allocate(z);
        using var dp = Accelerator.Allocate(p);
        using var dt = Accelerator.Allocate(t);
        using var loss = TestData.Poisoned(Accelerator, 1);
        BinaryCrossEntropy.Loss(Accelerator, dp.View, dt.View, loss.View);
        // Terms ≤ ~4 with a few ulp each, summed in float over n/256 per lane then a tree: ≲ 1e-6 relative.
        TestData.AssertClose([SoftmaxReference.BinaryCrossEntropy(D(p), D(t))], loss.ToArray(), 1e-6, 1e-5, $"bce {n}");
        using var grad = TestData.Poisoned(Accelerator, n);
        BinaryCrossEntropy.Backward(Accelerator, dp.View, dt.View, grad.View);
        // (p − t) / (p(1 − p)): 1 − p loses relative precision as p → 1 (p ≤ σ(4) ≈ 0.982: ≲ 60 ulp), so rtol 1e-5.
        TestData.AssertClose(SoftmaxReference.BinaryCrossEntropyBackward(D(p), D(t)), grad.ToArray(), 1e-9, 1e-5, $"bce backward {n}");
        grad.Fill(float.NaN);
        BinaryCrossEntropy.BackwardFromLogits(Accelerator, dz.View, dt.View, grad.View);
        // σ(z) − t: a few ulp of values ≤ 1, absolute, then / n.
        TestData.AssertClose(SoftmaxReference.SigmoidBinaryCrossEntropyBackward(D(z), D(t)), grad.ToArray(), 3e-7 / n, 1e-6, $"sigmoid+bce backward {n}");
    }

    [TestMethod]
    public void BinaryCrossEntropy_AtZeroAndOne_IsFinite()
    {
        float[] p = [0f, 1f, 0f, 1f, 0.5f];
        float[] t = [1f, 0f, 0f, 1f, 1f];
        using var dp = Accelerator.Allocate(p);
        using var dt = Accelerator.Allocate(t);
        using var loss = TestData.Poisoned(Accelerator, 1);
        BinaryCrossEntropy.Loss(Accelerator, dp.View, dt.View, loss.View);
        // log 0 clamps to −100: (100 + 100 + 0 + 0 + ln 2) / 5.
        TestData.AssertClose([SoftmaxReference.BinaryCrossEntropy(D(p), D(t))], loss.ToArray(), 1e-5, 1e-6, "bce at 0 and 1");
        using var grad = TestData.Poisoned(Accelerator, p.Length);
        BinaryCrossEntropy.Backward(Accelerator, dp.View, dt.View, grad.View);
        Assert.IsTrue(grad.ToArray().All(float.IsFinite), "the backward at p = 0 or 1 must stay finite");
    }

    private static double[] D(float[] values) => values.Select(v => (double)v).ToArray();
}

/// <summary>The reference backwards of softmax, log-softmax and the losses against finite differences of the reference forwards.</summary>
[TestClass]
public sealed class SoftmaxGradientTests
{
    private const int Rows = 3, Classes = 5;

    [TestMethod]
    public void SoftmaxAndLogSoftmaxBackwards_MatchFiniteDifferences()
    {
        var x = Values(Rows * Classes, 1, -2, 2);
        var upstream = Values(Rows * Classes, 2, -1, 1);
        var y = SoftmaxReference.Forward(x, Rows, Classes);
        FiniteDifference.AssertClose(FiniteDifference.Gradient(v => SoftmaxReference.Forward(v, Rows, Classes), x, upstream),
            SoftmaxReference.SoftmaxBackward(y, upstream, Rows, Classes), "softmax");
        var logY = SoftmaxReference.Forward(x, Rows, Classes, log: true);
        FiniteDifference.AssertClose(FiniteDifference.Gradient(v => SoftmaxReference.Forward(v, Rows, Classes, log: true), x, upstream),
            SoftmaxReference.LogSoftmaxBackward(logY, upstream, Rows, Classes), "log-softmax");
    }

    [TestMethod]
    public void CrossEntropyBackward_MatchesFiniteDifferences()
    {
        var x = Values(Rows * Classes, 3, -3, 3);
        int[] labels = [4, 0, 2];
        FiniteDifference.AssertClose(FiniteDifference.Gradient(v => [SoftmaxReference.CrossEntropy(v, labels, Rows, Classes)], x, [1.0]),
            SoftmaxReference.CrossEntropyBackward(x, labels, Rows, Classes), "cross-entropy");
    }

    [TestMethod]
    public void BinaryCrossEntropyBackwards_MatchFiniteDifferences()
    {
        // p inside (0.05, 0.95): neither the log floor nor the denominator floor is active.
        var p = Values(12, 4, 0.05, 0.95);
        var t = Values(12, 5, 0, 1);
        FiniteDifference.AssertClose(FiniteDifference.Gradient(v => [SoftmaxReference.BinaryCrossEntropy(v, t)], p, [1.0]),
            SoftmaxReference.BinaryCrossEntropyBackward(p, t), "bce");
        var z = Values(12, 6, -4, 4);
        FiniteDifference.AssertClose(
            FiniteDifference.Gradient(v => [SoftmaxReference.BinaryCrossEntropy(v.Select(e => 1 / (1 + Math.Exp(-e))).ToArray(), t)], z, [1.0]),
            SoftmaxReference.SigmoidBinaryCrossEntropyBackward(z, t), "sigmoid + bce");
    }

    private static double[] Values(int count, int seed, double low, double high)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => low + random.NextDouble() * (high - low)).ToArray();
    }
}

[TestClass]
public sealed class SoftmaxTestsOnCpu : SoftmaxTests
{
    protected override AcceleratorKind Kind => AcceleratorKind.Cpu;
}

[TestClass]
public sealed class SoftmaxTestsOnOpenCL : SoftmaxTests
{
    protected override AcceleratorKind Kind => AcceleratorKind.OpenCL;
}

[TestClass]
[TestCategory("Cuda")]
public sealed class SoftmaxTestsOnCuda : SoftmaxTests
{
    protected override AcceleratorKind Kind => AcceleratorKind.Cuda;
}

[TestClass]
[TestCategory("Ilgpu")]
public sealed class SoftmaxTestsOnIlgpuCpu : SoftmaxTests
{
    protected override AcceleratorKind Kind => AcceleratorKind.IlgpuCpu;
}

[TestClass]
[TestCategory("Ilgpu")]
[TestCategory("Cuda")]
public sealed class SoftmaxTestsOnIlgpuCuda : SoftmaxTests
{
    protected override AcceleratorKind Kind => AcceleratorKind.IlgpuCuda;
}

[TestClass]
[TestCategory("Ilgpu")]
public sealed class SoftmaxTestsOnIlgpuOpenCL : SoftmaxTests
{
    protected override AcceleratorKind Kind => AcceleratorKind.IlgpuOpenCL;
}
