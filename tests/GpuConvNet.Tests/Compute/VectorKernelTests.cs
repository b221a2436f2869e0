using GpuConvNet.Compute;
using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.ProofKernels;

namespace GpuConvNet.Tests.Compute;

/// <summary>Auto-grouped 1D and 2D kernels on every backend.</summary>
public abstract class VectorKernelTests : AcceleratorTest
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(255)]
    [DataRow(257)]
    [DataRow(100_003)]
    public void Add_MatchesReference(int n)
    {
        var a = TestData.Uniform(n, seed: 1);
        var b = TestData.Uniform(n, seed: 2);
        using var da = Accelerator.Allocate(a);
        using var db = Accelerator.Allocate(b);
        using var dc = TestData.Poisoned(Accelerator, n);
        Accelerator.Launch(VectorKernels.Add, new Index1D(n), da.View, db.View, dc.View);
        Accelerator.Synchronize();
        var expected = a.Select((x, i) => (double)x + b[i]).ToArray();
        TestData.AssertClose(expected, dc.ToArray(), 0, 1e-7, "a + b");
    }

    /// <summary>x (n values near 1000, where x·x's rounding error is large) and what <paramref name="kernel"/> computed from it.</summary>
    internal static (float[] X, float[] Y) RunProductDifference(Accelerator accelerator, Action<Index1D, ArrayView<float>, ArrayView<float>> kernel, int n, int seed)
    {
        var x = TestData.Uniform(n, seed).Select(v => v * 1000f + 0.1f).ToArray();
        using var dx = accelerator.Allocate(x);
        using var dy = TestData.Poisoned(accelerator, n);
        accelerator.Launch(kernel, new Index1D(n), dx.View, dy.View);
        return (x, dy.ToArray());
    }

    [TestMethod]
    public void ProductDifference_IsExactlyZero_AsInDotNet()
    {
        // No engine fuses a * b − c unless the kernel allows it: the same floats as the C# loop, bit for bit.
        const int n = 4096;
        var (_, y) = RunProductDifference(Accelerator, VectorKernels.ProductDifference, n, seed: 17);
        int fused = y.Count(v => v != 0f);
        Assert.AreEqual(0, fused, $"{fused} of {n} results are a fused multiply-add's rounding error, not 0 (first: {y.FirstOrDefault(v => v != 0f)})");
    }

    [TestMethod]
    public void ProductDifferenceContracted_IsZeroOrTheProductsRoundingError()
    {
        // Allowed to fuse, an engine may or may not: each result is one rounding or the other, never anything else.
        const int n = 1024;
        var (x, y) = RunProductDifference(Accelerator, VectorKernels.ProductDifferenceContracted, n, seed: 19);
        for (int i = 0; i < n; i++)
        {
            double error = (double)x[i] * x[i] - (float)(x[i] * x[i]);
            Assert.IsTrue(y[i] == 0f || Math.Abs(y[i] - error) <= Math.Abs(error) * 1e-6, $"y[{i}] = {y[i]}: neither 0 nor x·x's rounding error {error}");
        }
    }

    [TestMethod]
    public void WindowSum_EachSpecialisation_MatchesReference()
    {
        // Three programs of one kernel (widths 1, 5, 16; two scales), launched interleaved: each keeps its own values.
        const int n = 37;
        var x = TestData.Uniform(n * 16, seed: 11);
        using var dx = Accelerator.Allocate(x);
        foreach (var (width, scale) in new[] { (5, 0.5f), (1, 2f), (16, -1.25f), (5, 0.5f) })
        {
            using var dy = TestData.Poisoned(Accelerator, n);
            Accelerator.Launch(VectorKernels.WindowSum, new Index1D(n), dx.View, dy.View, SpecializedValue.New(width), SpecializedValue.New(scale));
            var expected = Enumerable.Range(0, n).Select(i => scale * Enumerable.Range(0, width).Sum(j => (double)x[i * width + j])).ToArray();
            TestData.AssertClose(expected, dy.ToArray(), 1e-6, 1e-6, $"window sum of width {width}, scale {scale}");
        }
    }

    [TestMethod]
    public void Add_OnSubViews_ReadsAndWritesOnlyTheWindow()
    {
        const int n = 1000;
        var a = TestData.Uniform(n, seed: 3);
        using var da = Accelerator.Allocate(a);
        using var dc = TestData.Poisoned(Accelerator, n);
        // c[10..510) = a[3..503) + a[400..900)
        Accelerator.Launch(VectorKernels.Add, new Index1D(500), da.View.SubView(3, 500), da.View.SubView(400, 500), dc.View.SubView(10, 500));
        var c = dc.ToArray();
        for (int i = 0; i < n; i++)
        {
            if (i is >= 10 and < 510)
            {
                Assert.AreEqual(a[i - 10 + 3] + a[i - 10 + 400], c[i], 1e-6f, $"c[{i}]");
            }
            else
            {
                Assert.IsTrue(float.IsNaN(c[i]), $"c[{i}] outside the window was written");
            }
        }
    }

    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(37, 53)]
    [DataRow(1, 300)]
    [DataRow(129, 17)]
    public void TransposeScale_MatchesReference(int rows, int cols)
    {
        var input = TestData.Uniform(rows * cols, seed: rows * 1000 + cols);
        using var dinput = Accelerator.Allocate(input);
        using var doutput = TestData.Poisoned(Accelerator, rows * cols);
        Accelerator.Launch(VectorKernels.TransposeScale, new Index2D(cols, rows), dinput.View, doutput.View, rows, cols, -2.5f);
        var expected = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                expected[c * rows + r] = input[r * cols + c] * -2.5;
            }
        }
        TestData.AssertClose(expected, doutput.ToArray(), 0, 1e-7, "transpose");
    }

    [TestMethod]
    public void EmptyExtent_LaunchesNothing()
    {
        using var dc = TestData.Poisoned(Accelerator, 4);
        Accelerator.Launch(VectorKernels.Add, new Index1D(0), dc.View, dc.View, dc.View);
        Assert.IsTrue(dc.ToArray().All(float.IsNaN));
    }
}
