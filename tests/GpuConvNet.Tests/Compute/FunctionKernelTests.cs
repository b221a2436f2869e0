using GpuConvNet.Compute;
using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.ProofKernels;

namespace GpuConvNet.Tests.Compute;

/// <summary>Kernels calling [KernelFunction]s with global and shared views.</summary>
public abstract class FunctionKernelTests : AcceleratorTest
{
    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(33, 7)]
    [DataRow(300, 65)]
    public void RowDotSigmoid_MatchesReference(int rows, int cols)
    {
        var a = TestData.Uniform(rows * cols, seed: 11);
        var b = TestData.Uniform(rows * cols, seed: 12);
        using var da = Accelerator.Allocate(a);
        using var db = Accelerator.Allocate(b);
        using var result = TestData.Poisoned(Accelerator, rows);
        Accelerator.Launch(FunctionKernels.RowDotSigmoid, new Index1D(rows), da.View, db.View, result.View, cols);
        var expected = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double dot = 0;
            for (int c = 0; c < cols; c++)
            {
                dot += (double)a[r * cols + c] * b[r * cols + c];
            }
            expected[r] = 1 / (1 + Math.Exp(-dot));
        }
        TestData.AssertClose(expected, result.ToArray(), 1e-6, 1e-5, "sigmoid(row·row)");
    }

    [TestMethod]
    [DataRow(64)]
    [DataRow(1000)]
    public void BlockDot_OnSharedViews_MatchesReference(int n)
    {
        var x = TestData.Uniform(n, seed: 21);
        var y = TestData.Uniform(n, seed: 22);
        int groups = KernelConfig.GroupsFor(n, FunctionKernels.BlockSize);
        using var dx = Accelerator.Allocate(x);
        using var dy = Accelerator.Allocate(y);
        using var result = TestData.Poisoned(Accelerator, groups);
        Accelerator.Launch(FunctionKernels.BlockDot, new KernelConfig(groups, FunctionKernels.BlockSize), dx.View, dy.View, result.View);
        var expected = new double[groups];
        for (int i = 0; i < n; i++)
        {
            expected[i / FunctionKernels.BlockSize] += (double)x[i] * y[i];
        }
        TestData.AssertClose(expected, result.ToArray(), 1e-5, 1e-5, "block dots");
    }

    [TestMethod]
    [DataRow(64)]
    [DataRow(1000)]
    public void NormaliseBlocks_ThroughAGroupFunction_MatchesReference(int n)
    {
        var x = TestData.Uniform(n, seed: 31).Select(v => v + 1.5f).ToArray();
        int groups = KernelConfig.GroupsFor(n, FunctionKernels.BlockSize);
        using var dx = Accelerator.Allocate(x);
        using var y = TestData.Poisoned(Accelerator, n);
        using var squares = TestData.Poisoned(Accelerator, n);
        Accelerator.Launch(FunctionKernels.NormaliseBlocks, new KernelConfig(groups, FunctionKernels.BlockSize), dx.View, y.View, squares.View);
        var sums = new double[groups];
        var energies = new double[groups];
        for (int i = 0; i < n; i++)
        {
            sums[i / FunctionKernels.BlockSize] += x[i];
            energies[i / FunctionKernels.BlockSize] += (double)x[i] * x[i];
        }
        TestData.AssertClose(x.Select((v, i) => v / sums[i / FunctionKernels.BlockSize]).ToArray(), y.ToArray(), 1e-6, 1e-5, "x / block sum");
        TestData.AssertClose(x.Select((v, i) => (double)v * v / energies[i / FunctionKernels.BlockSize]).ToArray(), squares.ToArray(), 1e-6, 1e-5,
            "x² / block energy");
    }
}
