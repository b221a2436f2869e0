using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>Softmax and log-softmax against their float64 references: both row variants, rows shorter and longer than a group, logits at overflow scale.</summary>
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
    public void BadShapes_NameTheOpAndTheMismatch()
    {
        using var x = Accelerator.Allocate<float>(20);
        using var loss = Accelerator.Allocate<float>(1);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Softmax.Forward(Accelerator, x.View, x.View, 3, 5)).Message,
            "Softmax: x has 20 elements but x (3, 5) needs 15");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Softmax.LogForward(Accelerator, x.View, loss.View, 4, 5)).Message,
            "LogSoftmax: y has 1 elements");
    }

    private static double[] D(float[] values) => values.Select(v => (double)v).ToArray();
}

/// <summary>The reference backwards of softmax and log-softmax against finite differences of the reference forwards.</summary>
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

    private static double[] Values(int count, int seed, double low, double high)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => low + random.NextDouble() * (high - low)).ToArray();
    }
}
