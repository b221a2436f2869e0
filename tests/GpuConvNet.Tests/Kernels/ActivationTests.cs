using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>ReLU, sigmoid and dropout against their float64 references; the dropout mask's statistics and reproducibility.</summary>
public abstract class ActivationTests : AcceleratorTest
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(7)]
    [DataRow(1000)]
    [DataRow(4099)]
    public void Relu_ForwardAndBackward_MatchReference(int n)
    {
        var x = TestData.Uniform(n, seed: n);
        var upstream = TestData.Uniform(n, seed: n + 1);
        using var dx = Accelerator.Allocate(x);
        using var dy = TestData.Poisoned(Accelerator, n);
        Activation.Relu(Accelerator, dx.View, dy.View);
        var y = dy.ToArray();
        // Copies or zeros: exact.
        var expected = ActivationReference.Relu(D(x));
        TestData.AssertClose(expected, y, 0, 0, $"relu {n}");
        using var dup = Accelerator.Allocate(upstream);
        using var dgrad = TestData.Poisoned(Accelerator, n);
        Activation.ReluBackward(Accelerator, dy.View, dup.View, dgrad.View);
        TestData.AssertClose(ActivationReference.ReluBackward(expected, D(upstream)), dgrad.ToArray(), 0, 0, $"relu backward {n}");
    }

    [TestMethod]
    public void Relu_PropagatesNaN()
    {
        using var x = Accelerator.Allocate(new[] { float.NaN, -1f, 2f });
        using var y = TestData.Poisoned(Accelerator, 3);
        y.Fill(5f);
        Activation.Relu(Accelerator, x.View, y.View);
        var result = y.ToArray();
        Assert.IsTrue(float.IsNaN(result[0]), $"relu(NaN) gave {result[0]}");
        Assert.AreEqual(0f, result[1]);
        Assert.AreEqual(2f, result[2]);
    }

    [TestMethod]
    [DataRow(1, 1f)]
    [DataRow(7, 4f)]
    [DataRow(4099, 8f)]
    [DataRow(513, 1000f)]   // e^1000 overflows float: σ must still be exactly 0 or 1, never NaN
    public void Sigmoid_ForwardAndBackward_MatchReference(int n, float scale)
    {
        var x = TestData.Uniform(n, seed: n, low: -scale, high: scale);
        var upstream = TestData.Uniform(n, seed: n + 1);
        using var dx = Accelerator.Allocate(x);
        using var dy = TestData.Poisoned(Accelerator, n);
        Activation.Sigmoid(Accelerator, dx.View, dy.View);
        var y = dy.ToArray();
        var expected = ActivationReference.Sigmoid(D(x));
        // expf and one division: a few ulp of a value ≤ 1, and absolute 1e-7 where σ underflows towards 0.
        TestData.AssertClose(expected, y, 1e-7, 1e-6, $"sigmoid {n} ×{scale}");
        using var dup = Accelerator.Allocate(upstream);
        using var dgrad = TestData.Poisoned(Accelerator, n);
        Activation.SigmoidBackward(Accelerator, dy.View, dup.View, dgrad.View);
        // From the device's own y (float): three roundings, plus the absolute error of 1 − y near y = 1.
        TestData.AssertClose(ActivationReference.SigmoidBackward(D(y), D(upstream)), dgrad.ToArray(), 1e-7, 1e-6, $"sigmoid backward {n}");
    }

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
        var expected = ActivationReference.Dropout(D(x), p, 1234, 7);
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
        using var b = Accelerator.Allocate<float>(5);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Activation.Relu(Accelerator, a.View, b.View)).Message,
            "ReLU: y has 5 elements");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Activation.SigmoidBackward(Accelerator, a.View, a.View, b.View)).Message,
            "Sigmoid backward: dx has 5 elements");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Dropout.Forward(Accelerator, a.View, a.View, 1f, 0, 0)).Message,
            "Dropout: the drop rate is 1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Dropout.Backward(Accelerator, a.View, a.View, float.NaN, 0, 0)).Message,
            "Dropout backward: the drop rate is NaN");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Activation.Sigmoid(Accelerator, default, default)).Message,
            "Sigmoid: x length is 0");
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

/// <summary>The reference backwards of ReLU and sigmoid against finite differences of the reference forwards.</summary>
[TestClass]
public sealed class ActivationGradientTests
{
    [TestMethod]
    public void ReferenceBackwards_MatchFiniteDifferences()
    {
        // Inputs at least 0.05 from ReLU's kink, so the ±h steps never cross it.
        var x = TestData.Uniform(40, seed: 1).Select(v => (double)(v >= 0 ? v + 0.05f : v - 0.05f)).ToArray();
        var upstream = TestData.Uniform(40, seed: 2).Select(v => (double)v).ToArray();
        FiniteDifference.AssertClose(FiniteDifference.Gradient(v => ActivationReference.Relu(v), x, upstream),
            ActivationReference.ReluBackward(ActivationReference.Relu(x), upstream), "relu");
        FiniteDifference.AssertClose(FiniteDifference.Gradient(v => ActivationReference.Sigmoid(v), x, upstream),
            ActivationReference.SigmoidBackward(ActivationReference.Sigmoid(x), upstream), "sigmoid");
        // Dropout is linear in x with a fixed mask: its backward is itself.
        FiniteDifference.AssertClose(FiniteDifference.Gradient(v => ActivationReference.Dropout(v, 0.3f, 5, 6), x, upstream),
            ActivationReference.Dropout(upstream, 0.3f, 5, 6), "dropout");
    }
}

[TestClass]
public sealed class ActivationTestsOnCpu : ActivationTests
{
    protected override AcceleratorKind Kind => AcceleratorKind.Cpu;
}

[TestClass]
public sealed class ActivationTestsOnOpenCL : ActivationTests
{
    protected override AcceleratorKind Kind => AcceleratorKind.OpenCL;
}

[TestClass]
[TestCategory("Cuda")]
public sealed class ActivationTestsOnCuda : ActivationTests
{
    protected override AcceleratorKind Kind => AcceleratorKind.Cuda;
}

[TestClass]
[TestCategory("Ilgpu")]
public sealed class ActivationTestsOnIlgpuCpu : ActivationTests
{
    protected override AcceleratorKind Kind => AcceleratorKind.IlgpuCpu;
}

[TestClass]
[TestCategory("Ilgpu")]
[TestCategory("Cuda")]
public sealed class ActivationTestsOnIlgpuCuda : ActivationTests
{
    protected override AcceleratorKind Kind => AcceleratorKind.IlgpuCuda;
}

[TestClass]
[TestCategory("Ilgpu")]
public sealed class ActivationTestsOnIlgpuOpenCL : ActivationTests
{
    protected override AcceleratorKind Kind => AcceleratorKind.IlgpuOpenCL;
}
