using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>MatMul: every transpose and variant against the float64 reference, on shapes that hit every tile edge.</summary>
public abstract class MatMulTests : AcceleratorTest
{
    [TestMethod]
    [DataRow(1, 1, 1)]
    [DataRow(65, 63, 17)]
    [DataRow(3, 5, 300)]      // K > M, N
    [DataRow(130, 1, 70)]
    [DataRow(64, 128, 64)]
    [DataRow(100, 129, 33)]
    [DataRow(16, 32, 5)]      // whole 8×16 blocks only
    [DataRow(24, 48, 7)]      // whole 6×16 and 12×16 tiles only
    [DataRow(13, 17, 1)]      // one row and one column past whole tiles
    public void Multiply_EveryTransposeAndVariant_MatchesReference(int m, int n, int k)
    {
        LeaveLargeCasesToCompiledEngines((long)m * n * k);
        foreach (var variant in new[] { MatMulVariant.Naive, MatMulVariant.Tiled, MatMulVariant.RegisterBlocked, MatMulVariant.VectorBlocked, MatMulVariant.VectorBlocked8, MatMulVariant.Packed6x16, MatMulVariant.Packed12x16 })
        {
            foreach (var (ta, tb) in new[] { (Transpose.No, Transpose.No), (Transpose.No, Transpose.Yes), (Transpose.Yes, Transpose.No) })
            {
                Check(m, n, k, ta, tb, variant, withBias: false, relu: false);
            }
        }
    }

    [TestMethod]
    [DataRow(1, 1, 1)]
    [DataRow(67, 130, 9)]
    public void Multiply_WithBiasAndRelu_MatchesReference(int m, int n, int k)
    {
        foreach (var variant in new[] { MatMulVariant.Naive, MatMulVariant.Tiled, MatMulVariant.RegisterBlocked, MatMulVariant.VectorBlocked, MatMulVariant.VectorBlocked8, MatMulVariant.Packed6x16, MatMulVariant.Packed12x16 })
        {
            Check(m, n, k, Transpose.No, Transpose.Yes, variant, withBias: true, relu: false);
            Check(m, n, k, Transpose.No, Transpose.No, variant, withBias: true, relu: true);
        }
    }

    [TestMethod]
    [DataRow(1, 1, 1)]
    [DataRow(64, 128, 300)]
    [DataRow(67, 130, 9)]
    public void Multiply_TransposedBThroughAWorkspace_MatchesReference(int m, int n, int k)
    {
        LeaveLargeCasesToCompiledEngines((long)m * n * k);
        var a = TestData.Uniform(m * k, seed: 11);
        var b = TestData.Uniform(n * k, seed: 12);
        var bias = TestData.Uniform(n, seed: 13);
        using var da = Accelerator.Allocate(a);
        using var db = Accelerator.Allocate(b);
        using var dbias = Accelerator.Allocate(bias);
        using var dc = TestData.Poisoned(Accelerator, m * n);
        using var workspace = new MatMulWorkspace();
        foreach (var variant in new[] { MatMulVariant.RegisterBlocked, MatMulVariant.VectorBlocked, MatMulVariant.VectorBlocked8, MatMulVariant.Tiled })
        {
            MatMul.Multiply(Accelerator, da.View, Transpose.No, db.View, Transpose.Yes, dc.View, m, n, k, dbias.View, relu: true, variant, workspace);
            TestData.AssertClose(MatMulReference.Multiply(a, Transpose.No, b, Transpose.Yes, m, n, k, bias, relu: true), dc.ToArray(),
                1e-6 * k + 1e-6, 1e-5, $"{variant} a·bᵀ via workspace {m}x{n}x{k}");
        }
        CollectionAssert.AreEqual(b, db.ToArray(), "b itself must not change");
    }

    [TestMethod]
    [DataRow(1, 1, 1)]
    [DataRow(65, 63, 17)]
    [DataRow(3, 5, 300)]
    public void Backward_OfALinearLayer_MatchesReference(int m, int n, int k)
    {
        foreach (bool withWorkspace in new[] { false, true })
        {
            CheckBackward(m, n, k, withWorkspace);
        }
    }

    private void CheckBackward(int m, int n, int k, bool withWorkspace)
    {
        var x = TestData.Uniform(m * k, seed: 41);
        var w = TestData.Uniform(n * k, seed: 42);
        var dy = TestData.Uniform(m * n, seed: 43);
        using var dx = Accelerator.Allocate(x);
        using var dw = Accelerator.Allocate(w);
        using var ddy = Accelerator.Allocate(dy);
        using var gw = TestData.Poisoned(Accelerator, n * k);
        using var gx = TestData.Poisoned(Accelerator, m * k);
        using var workspace = withWorkspace ? new MatMulWorkspace() : null;
        MatMul.Backward(Accelerator, dx.View, dw.View, ddy.View, gw.View, gx.View, m, n, k, workspace);
        var (expectedW, expectedX) = MatMulReference.Backward(x, w, dy, m, n, k);
        TestData.AssertClose(expectedW, gw.ToArray(), 1e-6 * m + 1e-6, 1e-5, $"dW {m}x{n}x{k}");
        TestData.AssertClose(expectedX, gx.ToArray(), 1e-6 * n + 1e-6, 1e-5, $"dx {m}x{n}x{k}");
        gw.Fill(float.NaN);
        MatMul.Backward(Accelerator, dx.View, dw.View, ddy.View, gw.View, default, m, n, k);
        TestData.AssertClose(expectedW, gw.ToArray(), 1e-6 * m + 1e-6, 1e-5, $"dW alone {m}x{n}x{k}");
    }

    [TestMethod]
    public void Multiply_WithMismatchedShapes_NamesOpAndOperand()
    {
        using var a = Accelerator.Allocate<float>(6);
        using var c = Accelerator.Allocate<float>(4);
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            MatMul.Multiply(Accelerator, a.View, Transpose.No, a.View, Transpose.No, c.View, 2, 2, 2));
        StringAssert.Contains(error.Message, "MatMul: a has 6 elements but a (2, 2) needs 4");
        var empty = Assert.ThrowsExactly<ArgumentException>(() =>
            MatMul.Multiply(Accelerator, a.View, Transpose.No, a.View, Transpose.No, c.View, 0, 2, 3));
        StringAssert.Contains(empty.Message, "m is 0");
    }

    private void Check(int m, int n, int k, Transpose ta, Transpose tb, MatMulVariant variant, bool withBias, bool relu)
    {
        var a = TestData.Uniform(m * k, seed: m * 31 + k);
        var b = TestData.Uniform(k * n, seed: n * 17 + k);
        var bias = withBias ? TestData.Uniform(n, seed: 5) : [];
        using var da = Accelerator.Allocate(a);
        using var db = Accelerator.Allocate(b);
        using var dbias = Accelerator.Allocate(bias);
        using var dc = TestData.Poisoned(Accelerator, m * n);
        // The packed variants need a workspace; the others are checked without one (with one they read a transposed copy of bᵀ).
        using var workspace = variant is MatMulVariant.Packed6x16 or MatMulVariant.Packed12x16 ? new MatMulWorkspace() : null;
        MatMul.Multiply(Accelerator, da.View, ta, db.View, tb, dc.View, m, n, k, withBias ? dbias.View : default, relu, variant, workspace);
        var expected = MatMulReference.Multiply(a, ta, b, tb, m, n, k, bias, relu);
        // k float32 products of magnitude ≤ 1 summed in float: error ≲ k·ε·max|partial| ≈ 1e-6·k.
        TestData.AssertClose(expected, dc.ToArray(), 1e-6 * k + 1e-6, 1e-5, $"{variant} {ta}/{tb} {m}x{n}x{k}");
    }
}

/// <summary>The gradients training takes from matmul (dA = dC·Bᵀ, dB = Aᵀ·dC) against finite differences.</summary>
[TestClass]
public sealed class MatMulGradientTests
{
    [TestMethod]
    public void LinearBackward_MatchesFiniteDifferences()
    {
        const int m = 3, n = 4, k = 5;
        var x = TestData.Uniform(m * k, seed: 1);
        var w = TestData.Uniform(n * k, seed: 2);
        var upstream = TestData.Uniform(m * n, seed: 3);
        var (dw, dx) = MatMulReference.Backward(x, w, upstream, m, n, k);
        var up = upstream.Select(v => (double)v).ToArray();
        var numericW = FiniteDifference.Gradient(v => MatMulReference.Multiply(x, Transpose.No, v.Select(e => (float)e).ToArray(), Transpose.Yes, m, n, k),
            w.Select(v => (double)v).ToArray(), up, h: 1e-3);
        var numericX = FiniteDifference.Gradient(v => MatMulReference.Multiply(v.Select(e => (float)e).ToArray(), Transpose.No, w, Transpose.Yes, m, n, k),
            x.Select(v => (double)v).ToArray(), up, h: 1e-3);
        FiniteDifference.AssertClose(numericW, dw, "dW", atol: 1e-3, rtol: 1e-3);
        FiniteDifference.AssertClose(numericX, dx, "dx", atol: 1e-3, rtol: 1e-3);
    }

    [TestMethod]
    public void BackwardFormulas_MatchFiniteDifferences()
    {
        const int m = 3, n = 4, k = 5;
        var a = TestData.Uniform(m * k, seed: 1);
        var b = TestData.Uniform(k * n, seed: 2);
        var upstream = TestData.Uniform(m * n, seed: 3);
        var dA = MatMulReference.Multiply(upstream, Transpose.No, b, Transpose.Yes, m, k, n);
        var dB = MatMulReference.Multiply(a, Transpose.Yes, upstream, Transpose.No, k, n, m);
        var up = upstream.Select(v => (double)v).ToArray();
        var numericA = FiniteDifference.Gradient(x => MatMulReference.Multiply(x.Select(v => (float)v).ToArray(), Transpose.No, b, Transpose.No, m, n, k),
            a.Select(v => (double)v).ToArray(), up, h: 1e-3);
        var numericB = FiniteDifference.Gradient(x => MatMulReference.Multiply(a, Transpose.No, x.Select(v => (float)v).ToArray(), Transpose.No, m, n, k),
            b.Select(v => (double)v).ToArray(), up, h: 1e-3);
        // The forward rounds its inputs to float, so the step is large and the tolerance matches float rounding.
        FiniteDifference.AssertClose(numericA, dA, "dA", atol: 1e-3, rtol: 1e-3);
        FiniteDifference.AssertClose(numericB, dB, "dB", atol: 1e-3, rtol: 1e-3);
    }
}







/// <summary>The per-device ranking of the CPU matmul variants: measured, remembered, kept per device and driver.</summary>
[TestClass]
public sealed class MatMulTuningTests
{
    [TestMethod]
    public void Remeasure_RatesEveryCandidate_KeepsTheRankingPerDevice_AndAutoUsesIt()
    {
        using var dir = new GpuConvNet.Tests.Data.TempDirectory();
        var cpu = Backends.Get("cpu");
        var rates = MatMulTuning.Rates(cpu);
        CollectionAssert.AreEquivalent(MatMulTuning.Candidates.ToArray(), rates.Keys.ToArray(), "every candidate measured");
        Assert.IsTrue(rates.Values.All(rate => rate > 0), "every candidate ran");
        string? saved = KernelTuning.CacheDirectory;
        KernelTuning.CacheDirectory = dir.Path;
        try
        {
            var ranking = MatMulTuning.Remeasure(cpu);

            CollectionAssert.AreEquivalent(MatMulTuning.Candidates.ToArray(), ranking.ToArray(), "a ranking of the candidates");
            Assert.AreEqual(ranking[0], MatMulTuning.Fastest(cpu, packed: true), "remembered for the process");
            var unpacked = MatMulTuning.Fastest(cpu, packed: false);
            Assert.IsTrue(unpacked is MatMulVariant.VectorBlocked or MatMulVariant.VectorBlocked8, "without a workspace, no packing");
            Assert.AreEqual(ranking.First(v => v is MatMulVariant.VectorBlocked or MatMulVariant.VectorBlocked8), unpacked);
            var file = Directory.GetFiles(dir.Path).Single();
            var lines = File.ReadAllLines(file);
            Assert.AreEqual(string.Join(' ', ranking), lines[0]);
            Assert.AreEqual(KernelTuning.Key(cpu.Device), lines[1], "kept per device and driver");
            foreach (var variant in MatMulTuning.Candidates)
            {
                StringAssert.Contains(lines[2], variant.ToString(), "the rates measured, for whoever reads the file");
            }
        }
        finally
        {
            KernelTuning.CacheDirectory = saved;
        }
    }
}
