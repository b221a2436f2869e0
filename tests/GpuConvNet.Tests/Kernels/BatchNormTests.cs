using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>Batch normalisation, forward in both modes and backward, against the float64 reference on every engine.</summary>
public abstract class BatchNormTests : AcceleratorTest
{
    [TestMethod]
    [DataRow(1, 3, 1)]        // batch 1, 1D: one value per channel, variance 0
    [DataRow(5, 7, 1)]        // BatchNorm1d over features
    [DataRow(2, 3, 17)]       // planes not a multiple of the sixteen partial sums
    [DataRow(3, 4, 16)]
    [DataRow(1, 2, 33)]
    [DataRow(8, 32, 169)]     // 13×13 feature maps, 32 channels
    [DataRow(2, 3, 17, true)] // with the ReLU fused in
    [DataRow(5, 7, 1, true)]
    public void TrainingForwardAndBackward_MatchTheReference(int n, int channels, int space, bool relu = false)
    {
        CheckTraining(n, channels, space, relu, BatchNormVariant.PerChannel);
        CheckTraining(n, channels, space, relu, BatchNormVariant.PerImage);
        CheckTraining(n, channels, space, relu, BatchNormVariant.Auto);
    }

    [TestMethod]
    public void TrainingStatistics_OfValuesFarFromZero_KeepTheirVariance()
    {
        // A mean 1,000 standard deviations from 0: an unshifted one-pass variance (Σx² − (Σx)²/n) loses every digit in
        // float32; variant 1 shifts by a value of the channel, variant 0 takes two passes.
        var shape = new BatchNormShape(4, 2, 25);
        var x = TestData.Uniform(4 * 2 * 25, 77, 999f, 1001f);
        var expected = BatchNormReference.Training(D(x), [1, 1], [0, 0], [0, 0], [1, 1], shape);
        foreach (var variant in new[] { BatchNormVariant.PerChannel, BatchNormVariant.PerImage })
        {
            using var dX = Accelerator.Allocate(x);
            using var y = TestData.Poisoned(Accelerator, x.Length);
            using var ones = Accelerator.Allocate(new float[] { 1, 1 });
            using var zeros = Accelerator.Allocate(new float[] { 0, 0 });
            using var runningMean = Accelerator.Allocate(new float[] { 0, 0 });
            using var runningVar = Accelerator.Allocate(new float[] { 1, 1 });
            using var mean = TestData.Poisoned(Accelerator, 2);
            using var invStd = TestData.Poisoned(Accelerator, 2);
            using var scale = TestData.Poisoned(Accelerator, 2);
            using var shift = TestData.Poisoned(Accelerator, 2);
            using var partials = TestData.Poisoned(Accelerator, 2 * 4 * 2);
            BatchNorm.ForwardTraining(Accelerator, shape, dX.View, y.View, ones.View, zeros.View, mean.View, invStd.View, runningMean.View, runningVar.View,
                scale.View, shift.View, partials.View, variant);
            // x is within 1e-4 relative of 1,000: float32 holds its deviations to about 6e-5 absolute, 1e-4 of σ ≈ 0.58.
            TestData.AssertClose(expected.InvStd, invStd.ToArray(), 0, 2e-3, $"invStd, {variant}");
            TestData.AssertClose(expected.Mean, mean.ToArray(), 1e-4, 1e-6, $"mean, {variant}");
        }
    }

    private void CheckTraining(int n, int channels, int space, bool relu, BatchNormVariant variant)
    {
        var shape = new BatchNormShape(n, channels, space, Eps: 1e-5f, Momentum: 0.1f, Relu: relu);
        int seed = n * 1000 + channels * 10 + space;
        var x = TestData.Uniform(n * channels * space, seed, -2f, 3f);
        var gamma = TestData.Uniform(channels, seed + 1, 0.5f, 1.5f);
        var beta = TestData.Uniform(channels, seed + 2);
        var runningMean = TestData.Uniform(channels, seed + 3);
        var runningVar = TestData.Uniform(channels, seed + 4, 0.5f, 2f);
        var dy = TestData.Uniform(n * channels * space, seed + 5);
        var expected = BatchNormReference.Training(D(x), D(gamma), D(beta), D(runningMean), D(runningVar), shape);
        var (dxExpected, dGammaExpected, dBetaExpected) = BatchNormReference.Backward(D(x), expected.Y, D(dy), D(gamma), expected.Mean, expected.InvStd, shape);

        using var dX = Accelerator.Allocate(x);
        using var dGammaIn = Accelerator.Allocate(gamma);
        using var dBetaIn = Accelerator.Allocate(beta);
        using var dRunningMean = Accelerator.Allocate(runningMean);
        using var dRunningVar = Accelerator.Allocate(runningVar);
        using var dDy = Accelerator.Allocate(dy);
        using var y = TestData.Poisoned(Accelerator, x.Length);
        using var mean = TestData.Poisoned(Accelerator, channels);
        using var invStd = TestData.Poisoned(Accelerator, channels);
        using var scale = TestData.Poisoned(Accelerator, channels);
        using var shift = TestData.Poisoned(Accelerator, channels);
        using var dx = TestData.Poisoned(Accelerator, x.Length);
        using var dGamma = TestData.Poisoned(Accelerator, channels);
        using var dBeta = TestData.Poisoned(Accelerator, channels);
        using var coefficients = TestData.Poisoned(Accelerator, 3 * channels);
        using var partials = TestData.Poisoned(Accelerator, 2 * n * channels);
        var partialsView = partials.View;

        BatchNorm.ForwardTraining(Accelerator, shape, dX.View, y.View, dGammaIn.View, dBetaIn.View, mean.View, invStd.View, dRunningMean.View, dRunningVar.View,
            scale.View, shift.View, partialsView, variant);
        BatchNorm.Backward(Accelerator, shape, dX.View, y.View, dDy.View, dx.View, dGammaIn.View, mean.View, invStd.View, dGamma.View, dBeta.View, coefficients.View,
            partialsView, variant);

        // Statistics over count ≤ 1,352 float32 values of magnitude ≤ 3: relative errors of a few 1e-7 · log(count).
        string what = $"({n}, {channels}, {space}) {variant}";
        TestData.AssertClose(expected.Mean, mean.ToArray(), 1e-5, 1e-5, "mean " + what);
        // With variance 0 (one value per channel) invStd is 1/√eps ≈ 316: relative tolerance only.
        TestData.AssertClose(expected.InvStd, invStd.ToArray(), 1e-5, 1e-4, "invStd " + what);
        TestData.AssertClose(expected.RunningMean, dRunningMean.ToArray(), 1e-6, 1e-5, "running mean " + what);
        TestData.AssertClose(expected.RunningVar, dRunningVar.ToArray(), 1e-6, 1e-5, "running var " + what);
        TestData.AssertClose(expected.Y, y.ToArray(), 1e-4, 1e-4, "y " + what);
        TestData.AssertClose(dBetaExpected, dBeta.ToArray(), 1e-5 * n * space, 1e-5, "dBeta " + what);
        TestData.AssertClose(dGammaExpected, dGamma.ToArray(), 1e-5 * n * space, 1e-4, "dGamma " + what);
        TestData.AssertClose(dxExpected, dx.ToArray(), 1e-4, 1e-3, "dx " + what);
    }

    [TestMethod]
    [DataRow(1, 4, 1)]
    [DataRow(3, 5, 9)]
    public void InferenceForward_UsesTheRunningStatistics(int n, int channels, int space)
    {
        var shape = new BatchNormShape(n, channels, space);
        var x = TestData.Uniform(n * channels * space, 11);
        var gamma = TestData.Uniform(channels, 12);
        var beta = TestData.Uniform(channels, 13);
        var runningMean = TestData.Uniform(channels, 14);
        var runningVar = TestData.Uniform(channels, 15, 0.1f, 3f);
        var expected = BatchNormReference.Inference(D(x), D(gamma), D(beta), D(runningMean), D(runningVar), shape);
        using var dX = Accelerator.Allocate(x);
        using var dGamma = Accelerator.Allocate(gamma);
        using var dBeta = Accelerator.Allocate(beta);
        using var dMean = Accelerator.Allocate(runningMean);
        using var dVar = Accelerator.Allocate(runningVar);
        using var y = TestData.Poisoned(Accelerator, x.Length);
        using var scale = TestData.Poisoned(Accelerator, channels);
        using var shift = TestData.Poisoned(Accelerator, channels);

        BatchNorm.ForwardInference(Accelerator, shape, dX.View, y.View, dGamma.View, dBeta.View, dMean.View, dVar.View, scale.View, shift.View);

        TestData.AssertClose(expected, y.ToArray(), 1e-5, 1e-5, $"inference ({n}, {channels}, {space})");
        CollectionAssert.AreEqual(runningMean, dMean.ToArray(), "inference leaves the running statistics alone");
    }

    [TestMethod]
    public void BatchNorm_WithMismatchedShapes_NamesOpAndOperand()
    {
        using var x = Accelerator.Allocate<float>(12);
        using var c3 = Accelerator.Allocate<float>(3);
        using var c4 = Accelerator.Allocate<float>(4);
        var shape = new BatchNormShape(2, 3, 2);
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            BatchNorm.ForwardInference(Accelerator, shape, x.View, x.View, c3.View, c4.View, c3.View, c3.View, c3.View, c3.View));
        StringAssert.Contains(error.Message, "BatchNorm: beta has 4 elements but beta (3) needs 3");
        var momentum = Assert.ThrowsExactly<ArgumentException>(() => BatchNorm.ForwardInference(Accelerator, shape with { Momentum = 2f },
            x.View, x.View, c3.View, c3.View, c3.View, c3.View, c3.View, c3.View));
        StringAssert.Contains(momentum.Message, "momentum in [0, 1]");
        var noPartials = Assert.ThrowsExactly<ArgumentException>(() => BatchNorm.ForwardTraining(Accelerator, shape, x.View, x.View, c3.View, c3.View,
            c3.View, c3.View, c3.View, c3.View, c3.View, c3.View, default, BatchNormVariant.PerImage));
        StringAssert.Contains(noPartials.Message, "partials workspace of 2·n·channels = 12 floats");
        var shortPartials = Assert.ThrowsExactly<ArgumentException>(() => BatchNorm.ForwardTraining(Accelerator, shape, x.View, x.View, c3.View, c3.View,
            c3.View, c3.View, c3.View, c3.View, c3.View, c3.View, c4.View, BatchNormVariant.PerImage));
        StringAssert.Contains(shortPartials.Message, "BatchNorm: partials has 4 elements but partials (n, channels, 2) = (2, 3, 2) needs 12");
        var expected = Accelerator.Engine.Has(EngineCapabilities.Tunable) ? BatchNormTuning.Fastest(Accelerator)
            : Accelerator.Device.Type == DeviceType.Gpu ? BatchNormVariant.PerImage : BatchNormVariant.PerChannel;
        Assert.AreEqual(expected, BatchNorm.Resolve(Accelerator, shape, x.View, BatchNormVariant.Auto),
            "Auto: the faster on a device whose engine compiles, else per image on GPUs only");
        Assert.AreEqual(BatchNormVariant.PerChannel, BatchNorm.Resolve(Accelerator, shape, default, BatchNormVariant.Auto), "Auto without partials");
    }

    private static double[] D(float[] values) => [.. values.Select(v => (double)v)];
}

/// <summary>The reference backward against central finite differences of the reference forward, in float64.</summary>
[TestClass]
public sealed class BatchNormGradientTests
{
    [TestMethod]
    [DataRow(2, 3, 5)]
    [DataRow(4, 2, 1)]
    [DataRow(1, 2, 6)]
    [DataRow(3, 2, 4, true)]
    public void Backward_MatchesFiniteDifferences_ForXGammaAndBeta(int n, int channels, int space, bool relu = false)
    {
        var shape = new BatchNormShape(n, channels, space, Eps: 1e-3f, Relu: relu);
        var x = TestData.Uniform(n * channels * space, 1, -2f, 2f).Select(v => (double)v).ToArray();
        var gamma = TestData.Uniform(channels, 2, 0.5f, 1.5f).Select(v => (double)v).ToArray();
        var beta = TestData.Uniform(channels, 3).Select(v => (double)v).ToArray();
        var upstream = TestData.Uniform(x.Length, 4).Select(v => (double)v).ToArray();
        var zeros = new double[channels];
        var ones = Enumerable.Repeat(1.0, channels).ToArray();
        var forward = BatchNormReference.Training(x, gamma, beta, zeros, ones, shape);
        var (dx, dGamma, dBeta) = BatchNormReference.Backward(x, forward.Y, upstream, gamma, forward.Mean, forward.InvStd, shape);

        FiniteDifference.AssertClose(FiniteDifference.Gradient(v => BatchNormReference.Training(v, gamma, beta, zeros, ones, shape).Y, x, upstream), dx, "dx", 1e-6, 1e-5);
        FiniteDifference.AssertClose(FiniteDifference.Gradient(g => BatchNormReference.Training(x, g, beta, zeros, ones, shape).Y, gamma, upstream), dGamma, "dGamma", 1e-6, 1e-5);
        FiniteDifference.AssertClose(FiniteDifference.Gradient(b => BatchNormReference.Training(x, gamma, b, zeros, ones, shape).Y, beta, upstream), dBeta, "dBeta", 1e-6, 1e-5);
    }
}
