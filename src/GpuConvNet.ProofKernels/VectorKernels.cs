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

    /// <summary>
    /// y[i] = scale · Σ_{j &lt; width} x[i·width + j], through a private array of width floats: width and scale are
    /// specialised (compiled in), so the array and the loops have constant sizes in each program. x: (n·width), y: (n).
    /// </summary>
    [Kernel]
    public static void WindowSum(Index1D i, ArrayView<float> x, ArrayView<float> y, SpecializedValue<int> width, SpecializedValue<float> scale)
    {
        Span<float> window = stackalloc float[width.Value];
        for (int j = 0; j < width.Value; j++)
        {
            window[j] = x[i * width.Value + j];
        }
        float sum = 0f;
        for (int j = 0; j < width; j++)
        {
            sum += window[j];
        }
        y[i] = scale.Value * sum;
    }

    /// <summary>
    /// y[i] = x[i]·x[i] − p with p = x[i]·x[i]: exactly 0 when each product is rounded to float, as .NET and every
    /// engine by default do; a compiler that contracts the subtraction into fma(x, x, −p) returns the product's rounding
    /// error instead. x, y: (n).
    /// </summary>
    [Kernel]
    public static void ProductDifference(Index1D i, ArrayView<float> x, ArrayView<float> y)
    {
        float p = x[i] * x[i];
        y[i] = x[i] * x[i] - p;
    }

    /// <summary><see cref="ProductDifference"/> with contraction allowed: the device compiler may fuse it.</summary>
    [Kernel(AllowContraction = true)]
    public static void ProductDifferenceContracted(Index1D i, ArrayView<float> x, ArrayView<float> y)
    {
        float p = x[i] * x[i];
        y[i] = x[i] * x[i] - p;
    }
}
