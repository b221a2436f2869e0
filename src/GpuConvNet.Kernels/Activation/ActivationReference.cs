namespace GpuConvNet.Kernels;

/// <summary>The float64 references of <see cref="Activation"/>.</summary>
public static class ActivationReference
{
    /// <summary>max(x, 0), NaN propagating.</summary>
    public static double[] Relu(ReadOnlySpan<double> x)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = double.IsNaN(x[i]) ? double.NaN : Math.Max(x[i], 0);
        }
        return y;
    }

    /// <summary>dy · [y &gt; 0].</summary>
    public static double[] ReluBackward(ReadOnlySpan<double> y, ReadOnlySpan<double> dy)
    {
        var dx = new double[y.Length];
        for (int i = 0; i < y.Length; i++)
        {
            dx[i] = y[i] > 0 ? dy[i] : 0;
        }
        return dx;
    }

    /// <summary>1 / (1 + e^−x).</summary>
    public static double[] Sigmoid(ReadOnlySpan<double> x)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = 1 / (1 + Math.Exp(-x[i]));
        }
        return y;
    }

    /// <summary>dy · y · (1 − y).</summary>
    public static double[] SigmoidBackward(ReadOnlySpan<double> y, ReadOnlySpan<double> dy)
    {
        var dx = new double[y.Length];
        for (int i = 0; i < y.Length; i++)
        {
            dx[i] = dy[i] * y[i] * (1 - y[i]);
        }
        return dx;
    }
}
