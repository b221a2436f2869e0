using GpuConvNet.Compute;

namespace GpuConvNet.ProofKernels;

/// <summary>Kernels that call [KernelFunction]s, with global and shared (local) views as arguments.</summary>
public static partial class FunctionKernels
{
    /// <summary>Lanes per group of <see cref="BlockDot"/>.</summary>
    public const int BlockSize = 64;

    /// <summary>The logistic function.</summary>
    [KernelFunction]
    public static float Sigmoid(float v) => 1f / (1f + MathF.Exp(-v));

    /// <summary>Σ x[i]·y[i] over the shorter view.</summary>
    [KernelFunction]
    public static float Dot(ArrayView<float> x, ArrayView<float> y)
    {
        float sum = 0f;
        int n = Math.Min(x.Length, y.Length);
        for (int i = 0; i < n; i++)
        {
            sum += x[i] * y[i];
        }
        return sum;
    }

    /// <summary>result[r] = sigmoid(a[r, :] · b[r, :]). a, b: (rows, cols); result: (rows).</summary>
    [Kernel]
    public static void RowDotSigmoid(Index1D row, ArrayView<float> a, ArrayView<float> b, ArrayView<float> result, int cols)
    {
        result[row] = Sigmoid(Dot(a.SubView(row * cols, cols), b.SubView(row * cols, cols)));
    }

    /// <summary>
    /// result[g] = x[g-th block] · y[g-th block], blocks of <see cref="BlockSize"/>: the group stages both blocks in
    /// shared memory and lane 0 calls <see cref="Dot"/> on the shared views (the function's local-memory variant).
    /// </summary>
    [Kernel]
    public static void BlockDot(ArrayView<float> x, ArrayView<float> y, ArrayView<float> result)
    {
        var xs = SharedMemory.Allocate<float>(BlockSize);
        var ys = SharedMemory.Allocate<float>(BlockSize);
        int i = Grid.GlobalIndex.X;
        xs[Group.IdxX] = i < x.Length ? x[i] : 0f;
        ys[Group.IdxX] = i < y.Length ? y[i] : 0f;
        Group.Barrier();
        if (Group.IdxX == 0)
        {
            result[Grid.IdxX] = Dot(xs, ys);
        }
    }
}
