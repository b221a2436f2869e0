using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>
/// Conv2D: forward (with and without the bias/ReLU epilogue), backward-data, backward-weights and the bias gradient of
/// every algorithm against the float64 reference, on shapes that hit every tail: batch 1, 1 and 3 input channels, odd
/// and non-square planes, filters 1, 3, 5, 7 and 3×5, stride 1 and 2, padding 0, 1, 2 (and padding ≥ R, where the
/// backward-data of the direct path crops), channel counts that are not multiples of the blocks (8 output channels,
/// 4 taps, 16 pixels per lane).
/// </summary>
public abstract class Conv2DTests : AcceleratorTest
{
    private static readonly Conv2DAlgorithm[] Algorithms = [Conv2DAlgorithm.Naive, Conv2DAlgorithm.Im2ColGemm, Conv2DAlgorithm.Direct, Conv2DAlgorithm.Direct8, Conv2DAlgorithm.Auto];

    [TestMethod]
    [DataRow(1, 1, 5, 5, 1, 1, 1, 1, 0)]       // 1×1 filter, one channel, batch 1
    [DataRow(2, 3, 7, 9, 5, 3, 3, 1, 1)]       // 3×3 pad 1 on an odd, non-square plane; K = 5 < one block of 8
    [DataRow(1, 1, 11, 10, 6, 5, 5, 1, 2)]     // LeNet's 5×5 pad 2
    [DataRow(2, 3, 9, 8, 9, 7, 7, 1, 0)]       // 7×7; K = 9 spills into a second block
    [DataRow(2, 3, 9, 11, 4, 3, 5, 2, 1)]      // non-square 3×5 filter, stride 2
    [DataRow(1, 1, 13, 13, 3, 3, 3, 2, 0)]     // stride 2, pad 0, odd plane (one row of x is never read)
    [DataRow(3, 4, 8, 7, 17, 2, 3, 2, 2)]      // even filter height, stride 2, pad 2, K = 17
    [DataRow(1, 2, 3, 3, 3, 1, 1, 1, 2)]       // padding larger than the filter: outputs that see only zeros
    [DataRow(2, 8, 20, 19, 16, 3, 3, 1, 1)]    // several pixel blocks per plane and channel blocks
    public void EveryPassAndAlgorithm_MatchesReference(int n, int c, int h, int w, int k, int r, int s, int stride, int pad)
    {
        var shape = new Conv2DShape(n, c, h, w, k, r, s, stride, pad);
        int seed = (((n * 7 + c) * 13 + h) * 17 + k) * 19 + r * 5 + s;
        var x = TestData.Uniform(shape.XLength, seed);
        var weights = TestData.Uniform(shape.WeightsLength, seed + 1);
        var bias = TestData.Uniform(k, seed + 2);
        var dy = TestData.Uniform(shape.YLength, seed + 3);
        var plain = Conv2DReference.Forward(shape, x, weights);
        var activated = Conv2DReference.Forward(shape, x, weights, bias, relu: true);
        var withBias = Conv2DReference.Forward(shape, x, weights, bias);
        var rectified = Conv2DReference.Forward(shape, x, weights, relu: true);
        var dx = Conv2DReference.BackwardData(shape, dy, weights);
        var dWeights = Conv2DReference.BackwardWeights(shape, x, dy);
        var dBias = Conv2DReference.BiasGradient(shape, dy);
        using var dX = Accelerator.Allocate(x);
        using var dW = Accelerator.Allocate(weights);
        using var dB = Accelerator.Allocate(bias);
        using var dDy = Accelerator.Allocate(dy);
        using var workspace = new Conv2DWorkspace(Accelerator);
        // Sums of t float32 products of magnitude ≤ 1: the error grows like t·ε (ε ≈ 6e-8) in the worst case; 2e-6·t
        // leaves room for the order in which blocks and partial sums are added, and still fails a dropped term (≈ 0.25).
        int forwardTerms = c * r * s;
        int dataTerms = k * r * s;
        int weightTerms = n * shape.P * shape.Q;
        foreach (var algorithm in Algorithms)
        {
            string what = $"{algorithm} {shape}";
            using (var y = TestData.Poisoned(Accelerator, shape.YLength))
            {
                Conv2D.Forward(Accelerator, shape, dX.View, dW.View, default, y.View, workspace, algorithm: algorithm);
                TestData.AssertClose(plain, y.ToArray(), 2e-6 * forwardTerms, 1e-5, $"forward {what}");
            }
            using (var y = TestData.Poisoned(Accelerator, shape.YLength))
            {
                Conv2D.Forward(Accelerator, shape, dX.View, dW.View, dB.View, y.View, workspace, relu: true, algorithm: algorithm);
                TestData.AssertClose(activated, y.ToArray(), 2e-6 * forwardTerms, 1e-5, $"forward + bias + ReLU {what}");
            }
            using (var y = TestData.Poisoned(Accelerator, shape.YLength))
            {
                Conv2D.Forward(Accelerator, shape, dX.View, dW.View, dB.View, y.View, workspace, algorithm: algorithm);
                TestData.AssertClose(withBias, y.ToArray(), 2e-6 * forwardTerms, 1e-5, $"forward + bias {what}");
            }
            using (var y = TestData.Poisoned(Accelerator, shape.YLength))
            {
                Conv2D.Forward(Accelerator, shape, dX.View, dW.View, default, y.View, workspace, relu: true, algorithm: algorithm);
                TestData.AssertClose(rectified, y.ToArray(), 2e-6 * forwardTerms, 1e-5, $"forward + ReLU {what}");
            }
            using (var gx = TestData.Poisoned(Accelerator, shape.XLength))
            {
                Conv2D.BackwardData(Accelerator, shape, dDy.View, dW.View, gx.View, workspace, algorithm);
                TestData.AssertClose(dx, gx.ToArray(), 2e-6 * dataTerms, 1e-5, $"backward-data {what}");
            }
            using (var gw = TestData.Poisoned(Accelerator, shape.WeightsLength))
            using (var gb = TestData.Poisoned(Accelerator, k))
            {
                Conv2D.BackwardWeights(Accelerator, shape, dX.View, dDy.View, gw.View, gb.View, workspace, algorithm);
                TestData.AssertClose(dWeights, gw.ToArray(), 2e-6 * weightTerms, 1e-5, $"backward-weights {what}");
                TestData.AssertClose(dBias, gb.ToArray(), 2e-6 * weightTerms, 1e-5, $"bias gradient {what}");
            }
        }
    }

    [TestMethod]
    [DataRow(Conv2DAlgorithm.Direct)]
    [DataRow(Conv2DAlgorithm.Direct8)]
    [DataRow(Conv2DAlgorithm.Im2ColGemm)]
    public void WeightGradient_OfAnUnchangedInput_ReusesWhatForwardPadded_AndOnlyThat(Conv2DAlgorithm algorithm)
    {
        var shape = new Conv2DShape(2, 3, 9, 7, 5, 3, 3, 1, 1);
        var x = TestData.Uniform(shape.XLength, 41);
        var other = TestData.Uniform(shape.XLength, 42);
        var dy = TestData.Uniform(shape.YLength, 43);
        using var dX = Accelerator.Allocate(x);
        using var w = Accelerator.Allocate(TestData.Uniform(shape.WeightsLength, 44));
        using var dDy = Accelerator.Allocate(dy);
        using var y = Accelerator.Allocate<float>(shape.YLength);
        using var dx = Accelerator.Allocate<float>(shape.XLength);
        using var workspace = new Conv2DWorkspace(Accelerator);
        float[] WeightGradient(bool unchanged)
        {
            using var gw = TestData.Poisoned(Accelerator, shape.WeightsLength);
            Conv2D.BackwardWeights(Accelerator, shape, dX.View, dDy.View, gw.View, default, workspace, algorithm, xUnchangedSinceForward: unchanged);
            return gw.ToArray();
        }
        double tolerance = 2e-6 * shape.N * shape.P * shape.Q;
        var ofX = Conv2DReference.BackwardWeights(shape, x, dy);
        var ofOther = Conv2DReference.BackwardWeights(shape, other, dy);

        Conv2D.Forward(Accelerator, shape, dX.View, w.View, default, y.View, workspace, algorithm: algorithm);
        TestData.AssertClose(ofX, WeightGradient(unchanged: true), tolerance, 1e-5, $"{algorithm}: right after forward");

        // x changed without telling: the direct kernels read the copy forward padded (the caller broke the promise);
        // told, or after a pass that wrote over the copy, they pad x again.
        Conv2D.Forward(Accelerator, shape, dX.View, w.View, default, y.View, workspace, algorithm: algorithm);
        dX.CopyFromHost(other);
        bool direct = algorithm != Conv2DAlgorithm.Im2ColGemm;
        TestData.AssertClose(direct ? ofX : ofOther, WeightGradient(unchanged: true), tolerance, 1e-5, $"{algorithm}: the promise taken at its word");
        TestData.AssertClose(ofOther, WeightGradient(unchanged: false), tolerance, 1e-5, $"{algorithm}: not promised");
        dX.CopyFromHost(x);
        Conv2D.Forward(Accelerator, shape, dX.View, w.View, default, y.View, workspace, algorithm: algorithm);
        Conv2D.BackwardData(Accelerator, shape, dDy.View, w.View, dx.View, workspace, algorithm);
        dX.CopyFromHost(other);
        TestData.AssertClose(ofOther, WeightGradient(unchanged: true), tolerance, 1e-5, $"{algorithm}: backward-data wrote over the copy");
    }

    [TestMethod]
    public void Workspace_ReservedOnce_DoesNotGrowDuringSteps()
    {
        var shape = new Conv2DShape(2, 3, 10, 10, 4, 3, 3, 1, 1);
        using var x = Accelerator.Allocate(TestData.Uniform(shape.XLength, 1));
        using var w = Accelerator.Allocate(TestData.Uniform(shape.WeightsLength, 2));
        using var y = Accelerator.Allocate<float>(shape.YLength);
        using var dx = Accelerator.Allocate<float>(shape.XLength);
        using var dw = Accelerator.Allocate<float>(shape.WeightsLength);
        using var workspace = new Conv2DWorkspace(Accelerator);
        foreach (var algorithm in new[] { Conv2DAlgorithm.Auto, Conv2DAlgorithm.Im2ColGemm, Conv2DAlgorithm.Direct, Conv2DAlgorithm.Direct8 })
        {
            workspace.Reserve(shape, algorithm);
            int reserved = workspace.Length;
            Assert.IsTrue(reserved > 0, $"{algorithm} reserves scratch memory");
            Conv2D.Forward(Accelerator, shape, x.View, w.View, default, y.View, workspace, algorithm: algorithm);
            Conv2D.BackwardData(Accelerator, shape, y.View, w.View, dx.View, workspace, algorithm);
            Conv2D.BackwardWeights(Accelerator, shape, x.View, y.View, dw.View, default, workspace, algorithm);
            Accelerator.Synchronize();
            Assert.AreEqual(reserved, workspace.Length, $"{algorithm}: a reserved workspace is not reallocated by a step");
        }
    }

    [TestMethod]
    public void Forward_WithMismatchedShapes_NamesOpAndMismatch()
    {
        using var x = Accelerator.Allocate<float>(25);
        using var w = Accelerator.Allocate<float>(27);
        using var y = Accelerator.Allocate<float>(9);
        using var workspace = new Conv2DWorkspace(Accelerator);
        var channels = Assert.ThrowsExactly<ArgumentException>(() =>
            Conv2D.Forward(Accelerator, new Conv2DShape(1, 1, 5, 5, 1, 3, 3), x.View, w.View, default, y.View, workspace));
        StringAssert.Contains(channels.Message, "Conv2D.Forward: weights has 27 elements but weights (K, C, R, S) = (1, 1, 3, 3) needs 9");
        var input = Assert.ThrowsExactly<ArgumentException>(() =>
            Conv2D.Forward(Accelerator, new Conv2DShape(1, 3, 5, 5, 1, 3, 3), x.View, w.View, default, y.View, workspace));
        StringAssert.Contains(input.Message, "Conv2D.Forward: x has 25 elements but x (N, C, H, W) = (1, 3, 5, 5) needs 75");
        var output = Assert.ThrowsExactly<ArgumentException>(() =>
            Conv2D.Forward(Accelerator, new Conv2DShape(1, 1, 5, 5, 3, 3, 3), x.View, w.View, default, y.View, workspace));
        StringAssert.Contains(output.Message, "Conv2D.Forward: y has 9 elements but y (N, K, P, Q) = (1, 3, 3, 3) needs 27");
        var tooSmall = Assert.ThrowsExactly<ArgumentException>(() =>
            Conv2D.Forward(Accelerator, new Conv2DShape(1, 1, 5, 2, 1, 3, 3), x.View, w.View, default, y.View, workspace));
        StringAssert.Contains(tooSmall.Message, "Conv2D.Forward: the 3×3 filter does not fit the 5×2 input padded by 0");
        var empty = Assert.ThrowsExactly<ArgumentException>(() =>
            Conv2D.Forward(Accelerator, new Conv2DShape(0, 1, 5, 5, 1, 3, 3), x.View, w.View, default, y.View, workspace));
        StringAssert.Contains(empty.Message, "Conv2D.Forward: N is 0");
        var stride = Assert.ThrowsExactly<ArgumentException>(() =>
            Conv2D.Forward(Accelerator, new Conv2DShape(1, 1, 5, 5, 1, 3, 3, Stride: 0), x.View, w.View, default, y.View, workspace));
        StringAssert.Contains(stride.Message, "Conv2D.Forward: stride is 0");
        var padding = Assert.ThrowsExactly<ArgumentException>(() =>
            Conv2D.Forward(Accelerator, new Conv2DShape(1, 1, 5, 5, 1, 3, 3, Padding: -1), x.View, w.View, default, y.View, workspace));
        StringAssert.Contains(padding.Message, "Conv2D.Forward: padding is -1");
        var bias = Assert.ThrowsExactly<ArgumentException>(() =>
            Conv2D.Forward(Accelerator, new Conv2DShape(1, 1, 5, 5, 1, 3, 3), x.View, w.View.SubView(0, 9), w.View.SubView(0, 2), y.View, workspace));
        StringAssert.Contains(bias.Message, "Conv2D.Forward: bias has 2 elements but a bias over K = 1 channels needs 1");
    }

    [TestMethod]
    public void Backward_WithMismatchedShapes_NamesOpAndMismatch()
    {
        var shape = new Conv2DShape(1, 2, 4, 4, 3, 3, 3, 1, 1);
        using var x = Accelerator.Allocate<float>(shape.XLength);
        using var w = Accelerator.Allocate<float>(shape.WeightsLength);
        using var dy = Accelerator.Allocate<float>(shape.YLength);
        using var workspace = new Conv2DWorkspace(Accelerator);
        var data = Assert.ThrowsExactly<ArgumentException>(() =>
            Conv2D.BackwardData(Accelerator, shape, dy.View.SubView(1), w.View, x.View, workspace));
        StringAssert.Contains(data.Message, "Conv2D.BackwardData: dy has 47 elements but dy (N, K, P, Q) = (1, 3, 4, 4) needs 48");
        var dx = Assert.ThrowsExactly<ArgumentException>(() =>
            Conv2D.BackwardData(Accelerator, shape, dy.View, w.View, dy.View, workspace));
        StringAssert.Contains(dx.Message, "Conv2D.BackwardData: dx has 48 elements but dx (N, C, H, W) = (1, 2, 4, 4) needs 32");
        var bias = Assert.ThrowsExactly<ArgumentException>(() =>
            Conv2D.BackwardWeights(Accelerator, shape, x.View, dy.View, w.View, w.View.SubView(0, 2), workspace));
        StringAssert.Contains(bias.Message, "Conv2D.BackwardWeights: dBias has 2 elements but a bias over K = 3 channels needs 3");
        var weights = Assert.ThrowsExactly<ArgumentException>(() =>
            Conv2D.BackwardWeights(Accelerator, shape, x.View, dy.View, x.View, default, workspace));
        StringAssert.Contains(weights.Message, "Conv2D.BackwardWeights: dWeights has 32 elements but weights (K, C, R, S) = (3, 2, 3, 3) needs 54");
    }
}

/// <summary>The float64 backward references against finite differences of the float64 forward reference.</summary>
[TestClass]
public sealed class Conv2DGradientTests
{
    [TestMethod]
    [DataRow(1, 1, 4, 4, 2, 3, 3, 1, 0)]
    [DataRow(2, 2, 5, 4, 3, 3, 2, 2, 1)]      // non-square filter, stride 2, pad 1, batch 2
    [DataRow(1, 3, 5, 5, 2, 5, 5, 1, 2)]      // 5×5 pad 2
    public void ReferenceBackward_MatchesFiniteDifferences(int n, int c, int h, int w, int k, int r, int s, int stride, int pad)
    {
        var shape = new Conv2DShape(n, c, h, w, k, r, s, stride, pad);
        var x = TestData.Uniform(shape.XLength, seed: 1);
        var weights = TestData.Uniform(shape.WeightsLength, seed: 2);
        var bias = TestData.Uniform(k, seed: 3);
        var upstream = TestData.Uniform(shape.YLength, seed: 4).Select(v => (double)v).ToArray();
        var dy = upstream.Select(v => (float)v).ToArray();
        var numericX = FiniteDifference.Gradient(v => Conv2DReference.Forward(shape, Floats(v), weights, bias), Doubles(x), upstream, h: 1e-3);
        var numericW = FiniteDifference.Gradient(v => Conv2DReference.Forward(shape, x, Floats(v), bias), Doubles(weights), upstream, h: 1e-3);
        var numericB = FiniteDifference.Gradient(v => Conv2DReference.Forward(shape, x, weights, Floats(v)), Doubles(bias), upstream, h: 1e-3);
        // The forward rounds its inputs to float (≈ 6e-8 relative), and the step is 1e-3: errors of ≈ 1e-4·|gradient|.
        FiniteDifference.AssertClose(numericX, Conv2DReference.BackwardData(shape, dy, weights), "dx", atol: 1e-3, rtol: 1e-3);
        FiniteDifference.AssertClose(numericW, Conv2DReference.BackwardWeights(shape, x, dy), "dW", atol: 1e-3, rtol: 1e-3);
        FiniteDifference.AssertClose(numericB, Conv2DReference.BiasGradient(shape, dy), "db", atol: 1e-3, rtol: 1e-3);
    }

    [TestMethod]
    public void ShapeValidation_RejectsBeforeComputingP()
    {
        // (2 − 3) / 2 + 1 would truncate to 1 in C#: the filter-fit check must come first.
        var error = Assert.ThrowsExactly<ArgumentException>(() => new Conv2DShape(1, 1, 2, 4, 1, 3, 3, Stride: 2).Validate("op"));
        StringAssert.Contains(error.Message, "op: the 3×3 filter does not fit the 2×4 input padded by 0");
        new Conv2DShape(1, 1, 1, 1, 1, 3, 3, Padding: 1).Validate("op");
        Assert.AreEqual(1, new Conv2DShape(1, 1, 1, 1, 1, 3, 3, Padding: 1).P);
    }

    private static double[] Doubles(float[] values) => values.Select(v => (double)v).ToArray();

    private static float[] Floats(double[] values) => values.Select(v => (float)v).ToArray();
}
