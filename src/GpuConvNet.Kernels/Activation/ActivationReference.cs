namespace GpuConvNet.Kernels;

/// <summary>The float64 references of <see cref="Activation"/> and <see cref="Dropout"/>.</summary>
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

    /// <summary>x / (1 − p) where <see cref="Dropout.Keeps"/>, else 0 (the mask is the kernels' own, computed on the host).</summary>
    public static double[] Dropout(ReadOnlySpan<double> x, float p, uint seed, uint step)
    {
        var y = new double[x.Length];
        double scale = 1.0 / (1.0 - p);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = Kernels.Dropout.Keeps(p, seed, step, i) ? x[i] * scale : 0;
        }
        return y;
    }
}
