using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>Argmax and the correct-count against their reference, NaNs included.</summary>
public abstract class AccuracyTests : AcceleratorTest
{
    [TestMethod]
    [DataRow(1, 10)]
    [DataRow(1, 7)]
    [DataRow(1, 1)]             // one class: always class 0
    [DataRow(200, 10)]          // not a multiple of the group
    [DataRow(129, 7)]
    [DataRow(256, 10)]
    public void ArgmaxAndCount_EveryVariant_MatchesReferenceAndAccumulates(int n, int classes)
    {
        // Logits on a grid of quarters make ties common, so the first-maximum rule is exercised.
        var logits = TestData.Uniform(n * classes, seed: n + classes).Select(v => MathF.Round(v * 4) / 4).ToArray();
        if (n > 2 && classes > 3)
        {
            logits[classes + 3] = float.NaN;      // a NaN mid-row is never the maximum
            logits[2 * classes] = float.NaN;      // a NaN first: every comparison with it is false, so class 0
        }
        var random = new Random(n * 7 + classes);
        var labels = Enumerable.Range(0, n).Select(_ => random.Next(classes)).ToArray();
        var (predicted, _) = AccuracyReference.ArgmaxAndCount(logits, labels, n, classes);
        for (int i = 0; i < n; i += 2)
        {
            labels[i] = predicted[i];              // at least half right, so the count is far from 0
        }
        var (expected, expectedCorrect) = AccuracyReference.ArgmaxAndCount(logits, labels, n, classes);
        using var dlogits = Accelerator.Allocate(logits);
        using var dlabels = Accelerator.Allocate(labels);
        foreach (var variant in new[] { AccuracyVariant.Atomic, AccuracyVariant.GroupCount, AccuracyVariant.Auto })
        {
            using var predictions = Accelerator.Allocate<int>(n);
            using var correct = Accelerator.Allocate<int>(1);
            predictions.Fill(-1);
            correct.Fill(5);
            Accuracy.ArgmaxAndCount(Accelerator, dlogits.View, dlabels.View, predictions.View, correct.View, n, classes, variant);
            CollectionAssert.AreEqual(expected, predictions.ToArray(), $"{variant} predictions ({n}, {classes})");
            predictions.Fill(-1);
            Accuracy.ArgmaxAndCount(Accelerator, dlogits.View, dlabels.View, predictions.View, correct.View, n, classes, variant);
            CollectionAssert.AreEqual(expected, predictions.ToArray(), $"{variant} predictions, second call");
            Assert.AreEqual(5 + 2 * expectedCorrect, correct.ToArray()[0], $"{variant}: the counter accumulates from 5 over two calls");
        }
    }

    [TestMethod]
    public void ArgmaxAndCount_WithMismatchedShapes_NamesOpAndOperand()
    {
        using var logits = Accelerator.Allocate<float>(20);
        using var labels = Accelerator.Allocate<int>(2);
        using var predictions = Accelerator.Allocate<int>(3);
        using var correct = Accelerator.Allocate<int>(1);
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            Accuracy.ArgmaxAndCount(Accelerator, logits.View, labels.View, predictions.View, correct.View, 2, 10));
        StringAssert.Contains(error.Message, "Accuracy: predictions has 3 elements but predictions (2) needs 2");
        var wrongLogits = Assert.ThrowsExactly<ArgumentException>(() =>
            Accuracy.ArgmaxAndCount(Accelerator, logits.View, labels.View, predictions.View, correct.View, 2, 7));
        StringAssert.Contains(wrongLogits.Message, "Accuracy: logits has 20 elements but logits (2, 7) needs 14");
        var counter = Assert.ThrowsExactly<ArgumentException>(() =>
            Accuracy.ArgmaxAndCount(Accelerator, logits.View, labels.View, labels.View, predictions.View, 2, 10));
        StringAssert.Contains(counter.Message, "Accuracy: correct has 3 elements but a counter (1) needs 1");
    }
}
