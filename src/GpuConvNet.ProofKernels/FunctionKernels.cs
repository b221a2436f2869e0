using GpuConvNet.Compute;

namespace GpuConvNet.ProofKernels;

/// <summary>
/// Kernels that call [KernelFunction]s, with global and shared (local) views as arguments, and a kernel function that
/// waits at barriers (a group function).
/// </summary>
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

    /// <summary>
    /// The sum of <paramref name="value"/> over the lanes of the group (X), returned to every lane: a tree in
    /// <paramref name="scratch"/> (shared, one element per lane; Group.DimX a power of 2). A group function: every lane
    /// of the group must call it, as a statement of its own.
    /// </summary>
    [KernelFunction]
    public static float GroupSum(ArrayView<float> scratch, float value)
    {
        int lane = Group.IdxX;
        scratch[lane] = value;
        Group.Barrier();
        for (int stride = Group.DimX / 2; stride > 0; stride >>= 1)
        {
            if (lane < stride)
            {
                scratch[lane] += scratch[lane + stride];
            }
            Group.Barrier();
        }
        float total = scratch[0];
        // Everyone has read the total before scratch is written again.
        Group.Barrier();
        return total;
    }

    /// <summary>y[i] = x[i] / Σ x over i's block of <see cref="BlockSize"/>, and again by the sum of squares (two calls).</summary>
    [Kernel]
    public static void NormaliseBlocks(ArrayView<float> x, ArrayView<float> y, ArrayView<float> squares)
    {
        var scratch = SharedMemory.Allocate<float>(BlockSize);
        int i = Grid.GlobalIndex.X;
        float value = i < x.Length ? x[i] : 0f;
        float total = GroupSum(scratch, value);
        float energy;
        energy = GroupSum(scratch, value * value);
        if (i < y.Length)
        {
            y[i] = value / total;
            squares[i] = value * value / energy;
        }
    }
}
