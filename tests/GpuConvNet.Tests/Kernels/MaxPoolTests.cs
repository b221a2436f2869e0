using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>Max pooling: values, argmax (ties included) and the gather backward against the float64 reference.</summary>
public abstract class MaxPoolTests : AcceleratorTest
{
    [TestMethod]
    [DataRow(1, 1, 4, 4, 2, 2, 2, 2, 0, 0)]      // batch 1, one channel
    [DataRow(2, 3, 7, 5, 2, 2, 2, 2, 0, 0)]      // odd sizes: the last row and column belong to no window
    [DataRow(3, 6, 28, 28, 2, 2, 2, 2, 0, 0)]    // LeNet's first pooling
    [DataRow(2, 16, 10, 10, 2, 2, 2, 2, 0, 0)]   // LeNet's second pooling
    [DataRow(1, 1, 9, 11, 3, 3, 2, 2, 1, 1)]     // overlapping windows with padding
    [DataRow(2, 2, 8, 7, 3, 2, 1, 1, 0, 0)]      // stride 1: every input in up to six windows
    [DataRow(1, 3, 5, 5, 5, 5, 1, 1, 0, 0)]      // one window covering the plane
    [DataRow(1, 2, 6, 9, 2, 3, 3, 2, 1, 1)]      // stride > window rows: some inputs in no window
    [DataRow(1, 2, 7, 8, 2, 2, 3, 3, 1, 1)]      // disjoint with gaps and padding
    [DataRow(2, 1, 9, 10, 3, 2, 3, 2, 1, 0)]     // disjoint, rectangular, padded rows only
    public void ForwardAndBackward_MatchReference(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var shape = new Pool2DShape(n, c, h, w, kh, kw, sh, sw, ph, pw);
        Check(shape, TestData.Uniform((int)shape.InputLength, seed: h * 31 + w), $"{shape}");
    }

    [TestMethod]
    [DataRow(2, 2, 2, 2, 0)]
    [DataRow(3, 3, 1, 1, 0)]
    [DataRow(3, 3, 2, 2, 1)]
    public void Ties_PickTheFirstMaximumInRowMajorOrder(int kh, int kw, int sh, int sw, int pad)
    {
        var shape = new Pool2DShape(2, 3, 9, 8, kh, kw, sh, sw, pad, pad);
        // Three distinct values: most windows hold several copies of their maximum.
        var x = TestData.Uniform((int)shape.InputLength, seed: 11).Select(v => MathF.Round(v)).ToArray();
        Check(shape, x, $"ties {shape}");
        Check(shape, new float[shape.InputLength], $"all equal {shape}");
        // An even input as well, so that the 2×2 variants meet ties too.
        var even = shape with { H = 8 };
        Check(even, TestData.Uniform((int)even.InputLength, seed: 12).Select(v => MathF.Round(v)).ToArray(), $"ties {even}");
    }

    [TestMethod]
    public void NegativeInputs_PaddingNeverWins()
    {
        var shape = new Pool2DShape(1, 2, 5, 6, 3, 3, 2, 2, 1, 1);
        var x = TestData.Uniform((int)shape.InputLength, seed: 3, low: -2f, high: -1f);
        Check(shape, x, "negative inputs with padding");
    }

    [TestMethod]
    public void BadShapes_NameTheOpAndTheMismatch()
    {
        using var x = Accelerator.Allocate<float>(16);
        using var y = Accelerator.Allocate<float>(4);
        using var argmax = Accelerator.Allocate<int>(4);
        using var argmax9 = Accelerator.Allocate<int>(9);
        var good = Pool2DShape.Square(1, 1, 4, 4, 2, 2);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() =>
            MaxPool.Forward(Accelerator, x.View, y.View, argmax.View, good with { C = 2 })).Message, "MaxPool2D: x has 16 elements but x (1, 2, 4, 4) needs 32");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() =>
            MaxPool.Forward(Accelerator, x.View, y.View, argmax.View, good with { PadH = 2 })).Message, "MaxPool2D: padding (2, 0)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() =>
            MaxPool.Forward(Accelerator, x.View, y.View, argmax.View, good with { KernelW = 5 })).Message, "MaxPool2D: the window (2, 5) is larger");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() =>
            MaxPool.Forward(Accelerator, x.View, y.View, argmax.View, good with { StrideH = 0 })).Message, "stride height is 0");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() =>
            MaxPool.Backward(Accelerator, y.View, argmax.View, y.View, good)).Message, "MaxPool2D backward: dx has 4 elements but dx (1, 1, 4, 4) needs 16");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() =>
            MaxPool.Backward(Accelerator, x.View.SubView(0, 9), argmax9.View, x.View, good with { StrideH = 1, StrideW = 1 }, MaxPoolBackwardVariant.Disjoint)).Message,
            "MaxPool2D backward: the disjoint variant needs stride ≥ window");
        var odd = Pool2DShape.Square(1, 1, 5, 4, 2, 2);
        using var y2 = Accelerator.Allocate<float>(4);
        using var x20 = Accelerator.Allocate<float>(20);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() =>
            MaxPool.Forward(Accelerator, x20.View, y2.View, argmax.View, odd, MaxPoolForwardVariant.Window2x2)).Message,
            "MaxPool2D: the 2×2 variant needs 2×2 windows, stride 2, no padding and an even input");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() =>
            MaxPool.Backward(Accelerator, y2.View, argmax.View, x20.View, odd, MaxPoolBackwardVariant.Window2x2)).Message,
            "MaxPool2D backward: the 2×2 variant needs");
    }

    private void Check(Pool2DShape shape, float[] x, string what)
    {
        int outputs = (int)shape.OutputLength;
        using var dx = Accelerator.Allocate(x);
        using var dy = TestData.Poisoned(Accelerator, outputs);
        using var dargmax = Accelerator.Allocate<int>(outputs);
        var (expected, expectedArgmax) = MaxPoolReference.Forward(x, shape);
        foreach (var variant in shape.IsWhole2x2 ? [MaxPoolForwardVariant.General, MaxPoolForwardVariant.Window2x2] : new[] { MaxPoolForwardVariant.General })
        {
            dy.Fill(float.NaN);
            dargmax.Fill(-7);
            MaxPool.Forward(Accelerator, dx.View, dy.View, dargmax.View, shape, variant);
            // A maximum is one of the inputs, copied: exact.
            TestData.AssertClose(expected, dy.ToArray(), 0, 0, $"{what} y {variant}");
            CollectionAssert.AreEqual(expectedArgmax, dargmax.ToArray(), $"{what} argmax {variant}");
        }

        var upstream = TestData.Uniform(outputs, seed: outputs);
        using var dupstream = Accelerator.Allocate(upstream);
        using var dgrad = TestData.Poisoned(Accelerator, (int)shape.InputLength);
        var expectedGrad = MaxPoolReference.Backward(upstream, expectedArgmax, shape);
        bool disjoint = shape.StrideH >= shape.KernelH && shape.StrideW >= shape.KernelW;
        var variants = new List<MaxPoolBackwardVariant> { MaxPoolBackwardVariant.Gather };
        variants.AddRange(disjoint ? [MaxPoolBackwardVariant.Disjoint] : []);
        variants.AddRange(shape.IsWhole2x2 ? [MaxPoolBackwardVariant.Window2x2] : []);
        foreach (var variant in variants)
        {
            dgrad.Fill(float.NaN);
            MaxPool.Backward(Accelerator, dupstream.View, dargmax.View, dgrad.View, shape, variant);
            // Each input sums at most kh·kw upstream values of magnitude ≤ 1 in float (window order, not the reference's): ≤ 9 roundings.
            TestData.AssertClose(expectedGrad, dgrad.ToArray(), 1e-6, 1e-6, $"{what} dx {variant}");
        }
    }
}

/// <summary>The reference backward of max pooling against finite differences of the reference forward.</summary>
[TestClass]
public sealed class MaxPoolGradientTests
{
    [TestMethod]
    [DataRow(2, 2, 2, 2, 0)]
    [DataRow(3, 3, 1, 1, 0)]
    [DataRow(3, 2, 2, 1, 1)]
    public void ReferenceBackward_MatchesFiniteDifferences(int kh, int kw, int sh, int sw, int pad)
    {
        var shape = new Pool2DShape(1, 2, 5, 6, kh, kw, sh, sw, pad, pad);
        int count = (int)shape.InputLength;
        // A shuffled ramp with steps of 0.01 ≫ h: no tap changes its window's argmax under the perturbation.
        var random = new Random(5);
        var x = Enumerable.Range(0, count).Select(i => i * 0.01f).OrderBy(_ => random.Next()).ToArray();
        var upstream = TestData.Uniform((int)shape.OutputLength, seed: 6);
        var (_, argmax) = MaxPoolReference.Forward(x, shape);
        var analytic = MaxPoolReference.Backward(upstream, argmax, shape);
        var numeric = FiniteDifference.Gradient(v => MaxPoolReference.Forward(v.Select(e => (float)e).ToArray(), shape).Y,
            x.Select(v => (double)v).ToArray(), upstream.Select(v => (double)v).ToArray(), h: 1e-3);
        // The forward rounds its input to float (≈ 1e-9 here), so the step is 1e-3 and the error ≲ 1e-6 / 1e-3.
        FiniteDifference.AssertClose(numeric, analytic, $"max pool {shape}", atol: 1e-4, rtol: 1e-4);
    }
}
