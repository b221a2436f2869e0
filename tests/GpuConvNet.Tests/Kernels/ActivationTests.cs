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
    public void BadArguments_NameTheOp()
    {
        using var a = Accelerator.Allocate<float>(4);
        using var b = Accelerator.Allocate<float>(5);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Activation.Relu(Accelerator, a.View, b.View)).Message,
            "ReLU: y has 5 elements");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Activation.SigmoidBackward(Accelerator, a.View, a.View, b.View)).Message,
            "Sigmoid backward: dx has 5 elements");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Activation.Sigmoid(Accelerator, default, default)).Message,
            "Sigmoid: x length is 0");
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
    }
}
