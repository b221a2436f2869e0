namespace GpuConvNet.Kernels;

/// <summary>The float64 references of <see cref="Softmax"/>: forward, and the softmax and log-softmax backwards.</summary>
public static class SoftmaxReference
{
    /// <summary>softmax (or log-softmax) of each row of x: (rows, classes), shifted by the row max.</summary>
    public static double[] Forward(ReadOnlySpan<double> x, int rows, int classes, bool log = false)
    {
        var y = new double[rows * classes];
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * classes, classes);
            double lse = LogSumExp(row);
            for (int c = 0; c < classes; c++)
            {
                y[r * classes + c] = log ? row[c] - lse : Math.Exp(row[c] - lse);
            }
        }
        return y;
    }

    /// <summary>The backward of softmax: dx = y ⊙ (dy − Σ dy ⊙ y) per row, from the forward output y.</summary>
    public static double[] SoftmaxBackward(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, int rows, int classes)
    {
        var dx = new double[rows * classes];
        for (int r = 0; r < rows; r++)
        {
            double dot = 0;
            for (int c = 0; c < classes; c++)
            {
                dot += dy[r * classes + c] * y[r * classes + c];
            }
            for (int c = 0; c < classes; c++)
            {
                dx[r * classes + c] = y[r * classes + c] * (dy[r * classes + c] - dot);
            }
        }
        return dx;
    }

    /// <summary>The backward of log-softmax: dx = dy − softmax(x) · Σ dy per row, from the forward output y = log-softmax.</summary>
    public static double[] LogSoftmaxBackward(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, int rows, int classes)
    {
        var dx = new double[rows * classes];
        for (int r = 0; r < rows; r++)
        {
            double sum = 0;
            for (int c = 0; c < classes; c++)
            {
                sum += dy[r * classes + c];
            }
            for (int c = 0; c < classes; c++)
            {
                dx[r * classes + c] = dy[r * classes + c] - Math.Exp(y[r * classes + c]) * sum;
            }
        }
        return dx;
    }

    /// <summary>log Σ exp(row), shifted by the row's maximum.</summary>
    public static double LogSumExp(ReadOnlySpan<double> row)
    {
        double max = double.NegativeInfinity;
        foreach (double v in row)
        {
            max = Math.Max(max, v);
        }
        double sum = 0;
        foreach (double v in row)
        {
            sum += Math.Exp(v - max);
        }
        return max + Math.Log(sum);
    }
}
