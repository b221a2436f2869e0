namespace GpuConvNet.Kernels;

/// <summary>The float64 references of <see cref="MatMul.Multiply"/> and <see cref="MatMul.Backward"/>: plain loops, accumulating in double.</summary>
public static class MatMulReference
{
    /// <summary>c = op(a)·op(b) [+ bias] [ReLU], with the layouts of <see cref="MatMul.Multiply"/>.</summary>
    public static double[] Multiply(ReadOnlySpan<float> a, Transpose transposeA, ReadOnlySpan<float> b, Transpose transposeB,
        int m, int n, int k, ReadOnlySpan<float> bias = default, bool relu = false)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = transposeA == Transpose.Yes ? a[p * m + i] : a[i * k + p];
                    double bv = transposeB == Transpose.Yes ? b[j * k + p] : b[p * n + j];
                    sum += av * bv;
                }
                if (!bias.IsEmpty)
                {
                    sum += bias[j];
                }
                c[i * n + j] = relu ? Math.Max(sum, 0) : sum;
            }
        }
        return c;
    }

    /// <summary>dW = dyᵀ·x and dx = dy·W for y = x·Wᵀ, with the layouts of <see cref="MatMul.Backward"/>.</summary>
    public static (double[] Dw, double[] Dx) Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy, int m, int n, int k) =>
        (Multiply(dy, Transpose.Yes, x, Transpose.No, n, k, m), Multiply(dy, Transpose.No, w, Transpose.No, m, k, n));
}
