using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>Binary cross-entropy (loss, its backward, the fused sigmoid backward) against its float64 reference, at 0 and 1 too.</summary>
public abstract class BinaryCrossEntropyTests : AcceleratorTest
{
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
        TestData.AssertClose([BinaryCrossEntropyReference.Loss(D(p), D(t))], loss.ToArray(), 1e-6, 1e-5, $"bce {n}");
        using var grad = TestData.Poisoned(Accelerator, n);
        BinaryCrossEntropy.Backward(Accelerator, dp.View, dt.View, grad.View);
        // (p − t) / (p(1 − p)): 1 − p loses relative precision as p → 1 (p ≤ σ(4) ≈ 0.982: ≲ 60 ulp), so rtol 1e-5.
        TestData.AssertClose(BinaryCrossEntropyReference.Backward(D(p), D(t)), grad.ToArray(), 1e-9, 1e-5, $"bce backward {n}");
        grad.Fill(float.NaN);
        BinaryCrossEntropy.BackwardFromLogits(Accelerator, dz.View, dt.View, grad.View);
        // σ(z) − t: a few ulp of values ≤ 1, absolute, then / n.
        TestData.AssertClose(BinaryCrossEntropyReference.SigmoidBackward(D(z), D(t)), grad.ToArray(), 3e-7 / n, 1e-6, $"sigmoid+bce backward {n}");
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
        TestData.AssertClose([BinaryCrossEntropyReference.Loss(D(p), D(t))], loss.ToArray(), 1e-5, 1e-6, "bce at 0 and 1");
        using var grad = TestData.Poisoned(Accelerator, p.Length);
        BinaryCrossEntropy.Backward(Accelerator, dp.View, dt.View, grad.View);
        Assert.IsTrue(grad.ToArray().All(float.IsFinite), "the backward at p = 0 or 1 must stay finite");
    }

    [TestMethod]
    public void BadShapes_NameTheOpAndTheMismatch()
    {
        using var x = Accelerator.Allocate<float>(20);
        using var loss = Accelerator.Allocate<float>(1);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => BinaryCrossEntropy.Loss(Accelerator, x.View, loss.View, loss.View)).Message,
            "BinaryCrossEntropy: t has 1 elements");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => BinaryCrossEntropy.BackwardFromLogits(Accelerator, x.View, x.View, loss.View)).Message,
            "SigmoidBinaryCrossEntropy backward: dz has 1 elements");
    }

    private static double[] D(float[] values) => values.Select(v => (double)v).ToArray();
}

/// <summary>The reference backwards of binary cross-entropy against finite differences of the reference loss.</summary>
[TestClass]
public sealed class BinaryCrossEntropyGradientTests
{
    private const int Rows = 3, Classes = 5;

    [TestMethod]
    public void BinaryCrossEntropyBackwards_MatchFiniteDifferences()
    {
        // p inside (0.05, 0.95): neither the log floor nor the denominator floor is active.
        var p = Values(12, 4, 0.05, 0.95);
        var t = Values(12, 5, 0, 1);
        FiniteDifference.AssertClose(FiniteDifference.Gradient(v => [BinaryCrossEntropyReference.Loss(v, t)], p, [1.0]),
            BinaryCrossEntropyReference.Backward(p, t), "bce");
        var z = Values(12, 6, -4, 4);
        FiniteDifference.AssertClose(
            FiniteDifference.Gradient(v => [BinaryCrossEntropyReference.Loss(v.Select(e => 1 / (1 + Math.Exp(-e))).ToArray(), t)], z, [1.0]),
            BinaryCrossEntropyReference.SigmoidBackward(z, t), "sigmoid + bce");
    }

    private static double[] Values(int count, int seed, double low, double high)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => low + random.NextDouble() * (high - low)).ToArray();
    }
}
