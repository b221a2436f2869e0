using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>
/// The fused batch norm + ReLU + 2×2 max pooling against the float64 reference of the unfused chain, forward in both
/// modes and backward, on every engine.
/// </summary>
public abstract class BatchNormPoolTests : AcceleratorTest
{
    [TestMethod]
    [DataRow(1, 2, 2, 2)]     // one window per plane
    [DataRow(2, 3, 4, 6)]     // pooled planes of 6: fewer than the sixteen partial sums
    [DataRow(3, 5, 14, 14)]   // 7×7 pooled: a tail after three whole blocks of 16
    [DataRow(5, 4, 10, 32)]   // width ≠ height
    [DataRow(8, 16, 28, 28)]  // the first block of fast
    public void TrainingForwardAndBackward_MatchTheUnfusedReference(int n, int channels, int height, int width)
    {
        var shape = new BatchNormPoolShape(n, channels, height, width);
        int seed = n * 1000 + channels * 10 + height + width;
        var x = TestData.Uniform(n * channels * height * width, seed, -2f, 3f);
        // Some negative gammas: the window's maximum is then the least x, as the unfused chain takes it.
        var gamma = TestData.Uniform(channels, seed + 1, -1.5f, 1.5f);
        var beta = TestData.Uniform(channels, seed + 2);
        var runningMean = TestData.Uniform(channels, seed + 3);
        var runningVar = TestData.Uniform(channels, seed + 4, 0.5f, 2f);
        var dy = TestData.Uniform((int)shape.PooledLength, seed + 5);
        var expected = BatchNormPoolReference.Training(D(x), D(gamma), D(beta), D(runningMean), D(runningVar), shape);
        var (dxExpected, dGammaExpected, dBetaExpected) = BatchNormPoolReference.Backward(D(x), expected, D(dy), D(gamma), shape);

        using var dX = Accelerator.Allocate(x);
        using var dGammaIn = Accelerator.Allocate(gamma);
        using var dBetaIn = Accelerator.Allocate(beta);
        using var dRunningMean = Accelerator.Allocate(runningMean);
        using var dRunningVar = Accelerator.Allocate(runningVar);
        using var dDy = Accelerator.Allocate(dy);
        using var y = TestData.Poisoned(Accelerator, dy.Length);
        using var argmax = Accelerator.Allocate<int>(dy.Length);
        using var xAtMax = TestData.Poisoned(Accelerator, dy.Length);
        using var mean = TestData.Poisoned(Accelerator, channels);
        using var invStd = TestData.Poisoned(Accelerator, channels);
        using var scale = TestData.Poisoned(Accelerator, channels);
        using var shift = TestData.Poisoned(Accelerator, channels);
        using var dx = TestData.Poisoned(Accelerator, x.Length);
        using var dGamma = TestData.Poisoned(Accelerator, channels);
        using var dBeta = TestData.Poisoned(Accelerator, channels);
        using var coefficients = TestData.Poisoned(Accelerator, 3 * channels);
        using var partials = TestData.Poisoned(Accelerator, 2 * n * channels);

        BatchNormPool.ForwardTraining(Accelerator, shape, dX.View, y.View, argmax.View, xAtMax.View, dGammaIn.View, dBetaIn.View, mean.View, invStd.View,
            dRunningMean.View, dRunningVar.View, scale.View, shift.View, partials.View);
        BatchNormPool.Backward(Accelerator, shape, dX.View, y.View, argmax.View, xAtMax.View, dDy.View, dx.View, dGammaIn.View, mean.View, invStd.View,
            dGamma.View, dBeta.View, coefficients.View, partials.View);

        string what = $"({n}, {channels}, {height}, {width})";
        int count = n * height * width;
        TestData.AssertClose(expected.Norm.Mean, mean.ToArray(), 1e-5, 1e-5, "mean " + what);
        TestData.AssertClose(expected.Norm.InvStd, invStd.ToArray(), 1e-5, 1e-4, "invStd " + what);
        TestData.AssertClose(expected.Norm.RunningMean, dRunningMean.ToArray(), 1e-6, 1e-5, "running mean " + what);
        TestData.AssertClose(expected.Norm.RunningVar, dRunningVar.ToArray(), 1e-6, 1e-5, "running var " + what);
        TestData.AssertClose(expected.Y, y.ToArray(), 1e-4, 1e-4, "y " + what);
        TestData.AssertClose(dBetaExpected, dBeta.ToArray(), 1e-5 * count, 1e-5, "dBeta " + what);
        TestData.AssertClose(dGammaExpected, dGamma.ToArray(), 1e-5 * count, 1e-4, "dGamma " + what);
        TestData.AssertClose(dxExpected, dx.ToArray(), 1e-4, 1e-3, "dx " + what);

        // Without dx (the block right after the input): the same parameter gradients, nothing else written.
        using var dGamma2 = TestData.Poisoned(Accelerator, channels);
        using var dBeta2 = TestData.Poisoned(Accelerator, channels);
        BatchNormPool.Backward(Accelerator, shape, dX.View, y.View, argmax.View, xAtMax.View, dDy.View, default, dGammaIn.View, mean.View, invStd.View,
            dGamma2.View, dBeta2.View, coefficients.View, partials.View);
        CollectionAssert.AreEqual(dGamma.ToArray(), dGamma2.ToArray(), "dGamma without dx " + what);
        CollectionAssert.AreEqual(dBeta.ToArray(), dBeta2.ToArray(), "dBeta without dx " + what);
    }

    [TestMethod]
    [DataRow(1, 3, 2, 4)]
    [DataRow(3, 5, 14, 14)]
    public void InferenceForward_UsesTheRunningStatistics(int n, int channels, int height, int width)
    {
        var shape = new BatchNormPoolShape(n, channels, height, width);
        var x = TestData.Uniform(n * channels * height * width, 21);
        var gamma = TestData.Uniform(channels, 22);
        var beta = TestData.Uniform(channels, 23);
        var runningMean = TestData.Uniform(channels, 24);
        var runningVar = TestData.Uniform(channels, 25, 0.1f, 3f);
        var expected = BatchNormPoolReference.Inference(D(x), D(gamma), D(beta), D(runningMean), D(runningVar), shape);
        using var dX = Accelerator.Allocate(x);
        using var dGamma = Accelerator.Allocate(gamma);
        using var dBeta = Accelerator.Allocate(beta);
        using var dMean = Accelerator.Allocate(runningMean);
        using var dVar = Accelerator.Allocate(runningVar);
        using var y = TestData.Poisoned(Accelerator, (int)shape.PooledLength);
        using var argmax = Accelerator.Allocate<int>((int)shape.PooledLength);
        using var xAtMax = TestData.Poisoned(Accelerator, (int)shape.PooledLength);
        using var scale = TestData.Poisoned(Accelerator, channels);
        using var shift = TestData.Poisoned(Accelerator, channels);

        BatchNormPool.ForwardInference(Accelerator, shape, dX.View, y.View, argmax.View, xAtMax.View, dGamma.View, dBeta.View, dMean.View, dVar.View, scale.View, shift.View);

        TestData.AssertClose(expected, y.ToArray(), 1e-5, 1e-5, $"inference ({n}, {channels}, {height}, {width})");
        CollectionAssert.AreEqual(runningMean, dMean.ToArray(), "inference leaves the running statistics alone");
    }

    [TestMethod]
    public void BatchNormPool_WithAnOddPlaneOrMismatchedViews_NamesOpAndOperand()
    {
        using var x = Accelerator.Allocate<float>(2 * 3 * 3 * 4);
        using var y = Accelerator.Allocate<float>(2 * 3 * 1 * 2);
        using var argmax = Accelerator.Allocate<int>(2 * 3 * 1 * 2);
        using var c3 = Accelerator.Allocate<float>(3);
        var odd = Assert.ThrowsExactly<ArgumentException>(() => BatchNormPool.ForwardInference(Accelerator, new BatchNormPoolShape(2, 3, 3, 4),
            x.View, y.View, argmax.View, y.View, c3.View, c3.View, c3.View, c3.View, c3.View, c3.View));
        StringAssert.Contains(odd.Message, "BatchNormPool: 2×2 windows with stride 2 must tile the input; its height and width must be even, not 3×4");
        var shape = new BatchNormPoolShape(2, 3, 2, 6);
        var shortY = Assert.ThrowsExactly<ArgumentException>(() => BatchNormPool.ForwardInference(Accelerator, shape,
            x.View, y.View, argmax.View, y.View, c3.View, c3.View, c3.View, c3.View, c3.View, c3.View));
        StringAssert.Contains(shortY.Message, "BatchNormPool: y has 12 elements but y (2, 3, 1, 3) needs 18");
    }

    private static double[] D(float[] values) => [.. values.Select(v => (double)v)];
}

/// <summary>The fused op's reference backward against central finite differences of its reference forward, in float64.</summary>
[TestClass]
public sealed class BatchNormPoolGradientTests
{
    [TestMethod]
    [DataRow(2, 3, 4, 4)]
    [DataRow(3, 2, 2, 6)]
    public void Backward_MatchesFiniteDifferences_ForXGammaAndBeta(int n, int channels, int height, int width)
    {
        var shape = new BatchNormPoolShape(n, channels, height, width, Eps: 1e-3f);
        var x = TestData.Uniform(n * channels * height * width, 31, -2f, 2f).Select(v => (double)v).ToArray();
        var gamma = TestData.Uniform(channels, 32, 0.5f, 1.5f).Select(v => (double)v).ToArray();
        var beta = TestData.Uniform(channels, 33).Select(v => (double)v).ToArray();
        var upstream = TestData.Uniform((int)shape.PooledLength, 34).Select(v => (double)v).ToArray();
        var zeros = new double[channels];
        var ones = Enumerable.Repeat(1.0, channels).ToArray();
        var forward = BatchNormPoolReference.Training(x, gamma, beta, zeros, ones, shape);
        var (dx, dGamma, dBeta) = BatchNormPoolReference.Backward(x, forward, upstream, gamma, shape);

        FiniteDifference.AssertClose(FiniteDifference.Gradient(v => BatchNormPoolReference.Training(v, gamma, beta, zeros, ones, shape).Y, x, upstream), dx, "dx", 1e-6, 1e-5);
        FiniteDifference.AssertClose(FiniteDifference.Gradient(g => BatchNormPoolReference.Training(x, g, beta, zeros, ones, shape).Y, gamma, upstream), dGamma, "dGamma", 1e-6, 1e-5);
        FiniteDifference.AssertClose(FiniteDifference.Gradient(b => BatchNormPoolReference.Training(x, gamma, b, zeros, ones, shape).Y, beta, upstream), dBeta, "dBeta", 1e-6, 1e-5);
    }
}
