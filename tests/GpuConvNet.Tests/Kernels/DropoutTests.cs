using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>Dropout: the device mask against the host's, its rate, its independence across steps and seeds, and its backward.</summary>
public abstract class DropoutTests : AcceleratorTest
{
    [TestMethod]
    [DataRow(4099, 0.3f)]
    [DataRow(1, 0.5f)]
    [DataRow(1000, 0f)]
    public void Dropout_MatchesTheHostMask(int n, float p)
    {
        // The reference computes the mask with the same integer hash on the host: every backend matching it means
        // CPU, OpenCL and CUDA draw identical masks for a (seed, step).
        var x = TestData.Uniform(n, seed: n, low: 0.5f, high: 1.5f);
        using var dx = Accelerator.Allocate(x);
        using var dy = TestData.Poisoned(Accelerator, n);
        Dropout.Forward(Accelerator, dx.View, dy.View, p, seed: 1234, step: 7);
        var expected = DropoutReference.Forward(D(x), p, 1234, 7);
        // x·scale with scale rounded to float: 2 roundings. Dropped elements must be exactly 0, kept ones are ≥ 0.5.
        TestData.AssertClose(expected, dy.ToArray(), 0, 3e-7, $"dropout {n} p={p}");
        using var dgrad = TestData.Poisoned(Accelerator, n);
        Dropout.Backward(Accelerator, dx.View, dgrad.View, p, seed: 1234, step: 7);
        TestData.AssertClose(expected, dgrad.ToArray(), 0, 3e-7, $"dropout backward {n} p={p}");
    }

    [TestMethod]
    [DataRow(0.1f)]
    [DataRow(0.5f)]
    [DataRow(0.9f)]
    public void Dropout_KeepRate_IsOneMinusP(float p)
    {
        const int n = 100_003;
        var mask = Mask(n, p, seed: 42, step: 3);
        int kept = mask.Count(k => k);
        // kept ~ Binomial(n, 1 − p) for an ideal generator: a 6σ band fails with probability 2·10⁻⁹.
        double sigma = Math.Sqrt(n * p * (1 - p));
        Assert.IsTrue(Math.Abs(kept - n * (1 - p)) <= 6 * sigma, $"kept {kept} of {n} at p={p}; expected {n * (1 - p):F0} ± {6 * sigma:F0}");
    }

    [TestMethod]
    public void Dropout_StepsAndSeedsDrawIndependentMasks_AndASeedStepRepeats()
    {
        const int n = 100_003;
        const float p = 0.3f;
        var first = Mask(n, p, seed: 42, step: 1);
        Assert.IsTrue(first.SequenceEqual(Mask(n, p, seed: 42, step: 1)), "the same (seed, step) must give the same mask");
        foreach (var (seed, step) in new (uint, uint)[] { (42, 2), (43, 1), (42, 1 << 20) })
        {
            var other = Mask(n, p, seed, step);
            int differ = first.Zip(other).Count(pair => pair.First != pair.Second);
            // Independent masks disagree on each element with probability q = 2p(1 − p); allow 6σ.
            double q = 2 * p * (1 - p);
            double sigma = Math.Sqrt(n * q * (1 - q));
            Assert.IsTrue(Math.Abs(differ - n * q) <= 6 * sigma,
                $"masks of (42, 1) and ({seed}, {step}) differ at {differ} of {n}; independent ones would at {n * q:F0} ± {6 * sigma:F0}");
        }
    }

    [TestMethod]
    public void Dropout_BackwardUsesTheForwardMask()
    {
        const int n = 5000;
        const float p = 0.4f;
        var upstream = TestData.Uniform(n, seed: 8, low: 0.5f, high: 1.5f);
        var forwardMask = Mask(n, p, seed: 9, step: 77);
        using var dup = Accelerator.Allocate(upstream);
        using var dgrad = TestData.Poisoned(Accelerator, n);
        Dropout.Backward(Accelerator, dup.View, dgrad.View, p, seed: 9, step: 77);
        var grad = dgrad.ToArray();
        for (int i = 0; i < n; i++)
        {
            Assert.AreEqual(forwardMask[i], grad[i] != 0f, $"element {i}: forward kept {forwardMask[i]}, backward passed {grad[i]}");
        }
    }

    [TestMethod]
    public void BadArguments_NameTheOp()
    {
        using var a = Accelerator.Allocate<float>(4);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Dropout.Forward(Accelerator, a.View, a.View, 1f, 0, 0)).Message,
            "Dropout: the drop rate is 1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Dropout.Backward(Accelerator, a.View, a.View, float.NaN, 0, 0)).Message,
            "Dropout backward: the drop rate is NaN");
    }

    /// <summary>The device's keep mask: the forward of all-ones input, kept where the output is nonzero.</summary>
    private bool[] Mask(int n, float p, uint seed, uint step)
    {
        using var ones = Accelerator.Allocate(Enumerable.Repeat(1f, n).ToArray());
        using var y = TestData.Poisoned(Accelerator, n);
        Dropout.Forward(Accelerator, ones.View, y.View, p, seed, step);
        var values = y.ToArray();
        Assert.IsFalse(values.Any(float.IsNaN), "dropout left an element unwritten");
        return values.Select(v => v != 0f).ToArray();
    }

    private static double[] D(float[] values) => values.Select(v => (double)v).ToArray();
}

/// <summary>The reference backward of dropout against finite differences of its forward.</summary>
[TestClass]
public sealed class DropoutGradientTests
{
    [TestMethod]
    public void ReferenceBackward_MatchesFiniteDifferences()
    {
        var x = TestData.Uniform(40, seed: 1).Select(v => (double)v).ToArray();
        var upstream = TestData.Uniform(40, seed: 2).Select(v => (double)v).ToArray();
        // Dropout is linear in x with a fixed mask: its backward is itself.
        FiniteDifference.AssertClose(FiniteDifference.Gradient(v => DropoutReference.Forward(v, 0.3f, 5, 6), x, upstream),
            DropoutReference.Forward(upstream, 0.3f, 5, 6), "dropout");
    }
}
