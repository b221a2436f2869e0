using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>Bias gradients against their reference, on shapes that hit every group edge.</summary>
public abstract class BiasGradientTests : AcceleratorTest
{
    [TestMethod]
    [DataRow(1, 1, 1)]
    [DataRow(1, 7, 1)]          // batch 1, dense
    [DataRow(5, 1, 1)]          // F = 1
    [DataRow(300, 10, 1)]       // n·space > 256 and not a multiple of it
    [DataRow(64, 128, 1)]       // the dense layer of the cnn model
    [DataRow(3, 4, 100)]        // 256 = 2 planes + 56: the walk wraps mid-plane
    [DataRow(2, 3, 257)]        // a plane longer than a group
    [DataRow(3, 32, 169)]       // 13×13 feature maps (odd)
    [DataRow(1, 5, 27)]
    public void SumOverBatchAndSpace_EveryVariant_MatchesReference(int n, int channels, int space)
    {
        var dy = TestData.Uniform(n * channels * space, seed: n * 131 + channels * 7 + space);
        var expected = BiasGradientReference.SumOverBatchAndSpace(dy, n, channels, space);
        using var ddy = Accelerator.Allocate(dy);
        foreach (var variant in new[] { BiasGradientVariant.PerChannel, BiasGradientVariant.GroupPerChannel, BiasGradientVariant.PlaneBlocked, BiasGradientVariant.Auto })
        {
            using var db = TestData.Poisoned(Accelerator, channels);
            BiasGradient.SumOverBatchAndSpace(Accelerator, ddy.View, db.View, n, channels, space, variant);
            // n·space float32 terms of magnitude ≤ 1: rounding error ≲ count·ε·max|partial sum| ≤ 1e-6·count.
            TestData.AssertClose(expected, db.ToArray(), 1e-6 * n * space + 1e-6, 1e-5, $"{variant} ({n}, {channels}, {space})");
        }
    }

    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(33, 10)]
    public void Dense_IsTheSumOverRows(int n, int features)
    {
        var dy = TestData.Uniform(n * features, seed: 3);
        using var ddy = Accelerator.Allocate(dy);
        using var db = TestData.Poisoned(Accelerator, features);
        BiasGradient.Dense(Accelerator, ddy.View, db.View, n, features);
        // As above with space = 1.
        TestData.AssertClose(BiasGradientReference.SumOverBatchAndSpace(dy, n, features, 1), db.ToArray(), 1e-6 * n + 1e-6, 1e-5, "dense");
    }

    [TestMethod]
    public void BiasGradient_WithMismatchedShapes_NamesOpAndOperand()
    {
        using var dy = Accelerator.Allocate<float>(12);
        using var db = Accelerator.Allocate<float>(3);
        var error = Assert.ThrowsExactly<ArgumentException>(() => BiasGradient.SumOverBatchAndSpace(Accelerator, dy.View, db.View, 2, 3, 3));
        StringAssert.Contains(error.Message, "BiasGradient: dy has 12 elements but dy (2, 3, 3) needs 18");
        var wrongDb = Assert.ThrowsExactly<ArgumentException>(() => BiasGradient.Dense(Accelerator, dy.View, db.View, 3, 4));
        StringAssert.Contains(wrongDb.Message, "BiasGradient: db has 3 elements but db (4) needs 4");
        var empty = Assert.ThrowsExactly<ArgumentException>(() => BiasGradient.Dense(Accelerator, dy.View, db.View, 0, 3));
        StringAssert.Contains(empty.Message, "n is 0");
    }

}

/// <summary>The bias gradient is the backward of adding a bias: reference against finite differences.</summary>
[TestClass]
public sealed class BiasGradientGradientTests
{
    [TestMethod]
    [DataRow(2, 3, 5)]
    [DataRow(3, 4, 1)]
    public void SumOverBatchAndSpace_MatchesFiniteDifferencesOfAddBias(int n, int channels, int space)
    {
        var x = TestData.Uniform(n * channels * space, seed: 1).Select(v => (double)v).ToArray();
        var bias = TestData.Uniform(channels, seed: 2).Select(v => (double)v).ToArray();
        var upstream = TestData.Uniform(n * channels * space, seed: 3);
        var numeric = FiniteDifference.Gradient(b => BiasGradientReference.AddBias(x, b, n, channels, space), bias,
            upstream.Select(v => (double)v).ToArray());
        // Everything is float64 and the forward is linear: central differences are exact up to rounding.
        FiniteDifference.AssertClose(numeric, BiasGradientReference.SumOverBatchAndSpace(upstream, n, channels, space), "db", atol: 1e-7, rtol: 1e-7);
    }
}
