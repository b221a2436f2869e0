using GpuConvNet.Compute;

namespace GpuConvNet.ProofKernels;

/// <summary>Auto-grouped proof kernels: 1D and 2D indices.</summary>
public static partial class VectorKernels
{
    /// <summary>c = a + b. a, b, c: (n).</summary>
    [Kernel]
    public static void Add(Index1D i, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c)
    {
        c[i] = a[i] + b[i];
    }

    /// <summary>output = inputᵀ, scaled. input: (rows, cols) row-major; output: (cols, rows).</summary>
    [Kernel]
    public static void TransposeScale(Index2D index, ArrayView<float> input, ArrayView<float> output, int rows, int cols, float scale)
    {
        // index.X runs along a row of the input, so reads are contiguous.
        int col = index.X;
        int row = index.Y;
        output[col * rows + row] = input[row * cols + col] * scale;
    }
}
