using GpuConvNet.Compute;
using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.ProofKernels;

namespace GpuConvNet.Tests.Compute;

/// <summary>Naive and tiled matrix multiply against a float64 reference, on shapes that hit every tile edge.</summary>
public abstract class MatMulKernelTests : AcceleratorTest
{
    [TestMethod]
    [DataRow(1, 1, 1)]
    [DataRow(64, 64, 16)]
    [DataRow(65, 63, 17)]
    [DataRow(3, 5, 300)]     // K > M, N
    [DataRow(130, 1, 70)]
    [DataRow(100, 129, 33)]
    public void Tiled_MatchesReference(int m, int n, int k) => Check(m, n, k, Variant.Tiled);

    [TestMethod]
    [DataRow(1, 1, 1)]
    [DataRow(17, 33, 300)]
    public void Naive_MatchesReference(int m, int n, int k) => Check(m, n, k, Variant.Naive);

    private enum Variant
    {
        Naive,
        Tiled,
    }

    private void Check(int m, int n, int k, Variant variant)
    {
        var a = TestData.Uniform(m * k, seed: m + 7 * n);
        var b = TestData.Uniform(k * n, seed: k + 13 * n);
        using var da = Accelerator.Allocate(a);
        using var db = Accelerator.Allocate(b);
        using var dc = TestData.Poisoned(Accelerator, m * n);
        switch (variant)
        {
            case Variant.Tiled:
                Accelerator.Launch(MatMulKernels.Tiled, MatMulKernels.TiledConfig(m, n), da.View, db.View, dc.View, m, n, k);
                break;
            default:
                Accelerator.Launch(MatMulKernels.Naive, new Index2D(n, m), da.View, db.View, dc.View, m, n, k);
                break;
        }
        // Float32 accumulation of k products of magnitude ≤ 1: error ≲ k·ε·max|partial sum|.
        TestData.AssertClose(Reference(a, b, m, n, k), dc.ToArray(), 1e-6 * k, 1e-5, $"{m}x{k} · {k}x{n}");
    }

    /// <summary>C = A·B in float64. a: (m, k), b: (k, n), row-major.</summary>
    public static double[] Reference(float[] a, float[] b, int m, int n, int k)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                double av = a[i * k + p];
                for (int j = 0; j < n; j++)
                {
                    c[i * n + j] += av * b[p * n + j];
                }
            }
        }
        return c;
    }
}
