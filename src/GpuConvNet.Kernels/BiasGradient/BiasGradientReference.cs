namespace GpuConvNet.Kernels;

/// <summary>The float64 reference of <see cref="BiasGradient"/>: plain loops, accumulating in double.</summary>
public static class BiasGradientReference
{
    /// <summary>db[c] = Σ_n Σ_s dy[n, c, s] with the layout of <see cref="BiasGradient.SumOverBatchAndSpace"/>.</summary>
    public static double[] SumOverBatchAndSpace(ReadOnlySpan<float> dy, int n, int channels, int space)
    {
        var db = new double[channels];
        for (int b = 0; b < n; b++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int s = 0; s < space; s++)
                {
                    db[c] += dy[(b * channels + c) * space + s];
                }
            }
        }
        return db;
    }

    /// <summary>
    /// The forward the bias gradient belongs to: y[n, c, s] = x[n, c, s] + bias[c]. Its backward for the bias is
    /// <see cref="SumOverBatchAndSpace"/> of the upstream gradient (checked by finite differences in the tests).
    /// </summary>
    public static double[] AddBias(ReadOnlySpan<double> x, ReadOnlySpan<double> bias, int n, int channels, int space)
    {
        var y = new double[x.Length];
        for (int b = 0; b < n; b++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int s = 0; s < space; s++)
                {
                    int i = (b * channels + c) * space + s;
                    y[i] = x[i] + bias[c];
                }
            }
        }
        return y;
    }
}
