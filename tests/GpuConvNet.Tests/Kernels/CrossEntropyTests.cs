using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>Cross-entropy (loss and fused softmax backward) against its float64 reference, both backward variants, and labels that are out of range.</summary>
public abstract class CrossEntropyTests : AcceleratorTest
{
    private static readonly SoftmaxVariant[] Variants = [SoftmaxVariant.RowPerLane, SoftmaxVariant.RowPerGroup];

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
        double expectedLoss = CrossEntropyReference.Loss(D(x), labels, rows, classes);
        // Per row, logsumexp − x[label] in float: a few ulp of |x| ≤ scale plus log(classes); the mean adds ε·rows relative.
        TestData.AssertClose([expectedLoss], loss.ToArray(), 1e-6 * (scale + 1), 1e-6 * Math.Log2(rows + 1) + 1e-6, $"cross-entropy ({rows}, {classes})");

        var expectedGrad = CrossEntropyReference.Backward(D(x), labels, rows, classes);
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
        Accelerator.Launch(CrossEntropyKernels.Loss, new KernelConfig(1, CrossEntropyKernels.ReduceGroup), dx.View, labels.View, loss.View, rows, classes);
        Assert.IsTrue(float.IsNaN(loss.ToArray()[0]), "the loss over bad labels must be NaN");
        using var grad = Accelerator.Allocate<float>(rows * classes);
        Accelerator.Launch(CrossEntropyKernels.Backward, new Index1D(rows), dx.View, labels.View, grad.View, classes, 1f / rows);
        CheckBadRows(grad.ToArray(), x, "lane per row");
        grad.Fill(0f);
        Accelerator.Launch(CrossEntropyKernels.BackwardGrouped, new KernelConfig(rows, SoftmaxKernels.GroupSize), dx.View, labels.View, grad.View, classes, 1f / rows);
        CheckBadRows(grad.ToArray(), x, "group per row");

        static void CheckBadRows(float[] grad, float[] x, string what)
        {
            Assert.IsTrue(grad.Skip(classes).All(float.IsNaN), $"{what}: rows with bad labels must be NaN");
            var expected = CrossEntropyReference.Backward(D(x.Take(classes).ToArray()), [1], 1, classes);
            TestData.AssertClose(expected.Select(v => v / rows).ToArray(), grad.Take(classes).ToArray(), 1e-7, 1e-5, $"{what}: the good row");
        }
    }

    [TestMethod]
    public void BadShapes_NameTheOpAndTheMismatch()
    {
        using var x = Accelerator.Allocate<float>(20);
        using var loss = Accelerator.Allocate<float>(1);
        using var labels = ClassLabels.Upload(Accelerator, [0, 1, 2, 3], 5);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => CrossEntropy.Loss(Accelerator, x.View, labels, loss.View, 2, 10)).Message,
            "CrossEntropy: label count and rows disagree (4 vs 2)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => CrossEntropy.Loss(Accelerator, x.View, labels, x.View, 4, 5)).Message,
            "CrossEntropy: loss has 20 elements but a scalar loss needs 1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => CrossEntropy.Backward(Accelerator, x.View, labels, x.View, 2, 10)).Message,
            "CrossEntropy backward: label count and rows disagree");
        using var labelsOf4 = ClassLabels.Upload(Accelerator, [0, 1, 2, 3], 4);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => CrossEntropy.Loss(Accelerator, x.View, labelsOf4, loss.View, 4, 5)).Message,
            "CrossEntropy: the labels' class count and the logits' classes disagree (4 vs 5)");
    }

    private static double[] D(float[] values) => values.Select(v => (double)v).ToArray();
}

/// <summary>The reference backward of cross-entropy against finite differences of the reference loss.</summary>
[TestClass]
public sealed class CrossEntropyGradientTests
{
    private const int Rows = 3, Classes = 5;

    [TestMethod]
    public void CrossEntropyBackward_MatchesFiniteDifferences()
    {
        var x = Values(Rows * Classes, 3, -3, 3);
        int[] labels = [4, 0, 2];
        FiniteDifference.AssertClose(FiniteDifference.Gradient(v => [CrossEntropyReference.Loss(v, labels, Rows, Classes)], x, [1.0]),
            CrossEntropyReference.Backward(x, labels, Rows, Classes), "cross-entropy");
    }

    private static double[] Values(int count, int seed, double low, double high)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => low + random.NextDouble() * (high - low)).ToArray();
    }
}
