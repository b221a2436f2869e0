namespace GpuConvNet.Kernels;

/// <summary>The float64 references of <see cref="Softmax"/>, <see cref="CrossEntropy"/> and <see cref="BinaryCrossEntropy"/>.</summary>
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

    /// <summary>Mean over rows of logsumexp(row) − row[label].</summary>
    public static double CrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<int> labels, int rows, int classes)
    {
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            var row = logits.Slice(r * classes, classes);
            total += LogSumExp(row) - row[labels[r]];
        }
        return total / rows;
    }

    /// <summary>(softmax(logits) − onehot(labels)) / rows.</summary>
    public static double[] CrossEntropyBackward(ReadOnlySpan<double> logits, ReadOnlySpan<int> labels, int rows, int classes)
    {
        var dx = Forward(logits, rows, classes);
        for (int r = 0; r < rows; r++)
        {
            dx[r * classes + labels[r]] -= 1;
            for (int c = 0; c < classes; c++)
            {
                dx[r * classes + c] /= rows;
            }
        }
        return dx;
    }

    /// <summary>−mean(t·log p + (1 − t)·log(1 − p)), each log floored at −100.</summary>
    public static double BinaryCrossEntropy(ReadOnlySpan<double> p, ReadOnlySpan<double> t)
    {
        double total = 0;
        for (int i = 0; i < p.Length; i++)
        {
            total -= t[i] * Math.Max(Math.Log(p[i]), SoftmaxKernels.LogFloor) + (1 - t[i]) * Math.Max(Math.Log(1 - p[i]), SoftmaxKernels.LogFloor);
        }
        return total / p.Length;
    }

    /// <summary>(p − t) / max(p·(1 − p), 1e-12) / n.</summary>
    public static double[] BinaryCrossEntropyBackward(ReadOnlySpan<double> p, ReadOnlySpan<double> t)
    {
        var dp = new double[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            dp[i] = (p[i] - t[i]) / Math.Max(p[i] * (1 - p[i]), 1e-12) / p.Length;
        }
        return dp;
    }

    /// <summary>(σ(z) − t) / n.</summary>
    public static double[] SigmoidBinaryCrossEntropyBackward(ReadOnlySpan<double> z, ReadOnlySpan<double> t)
    {
        var dz = new double[z.Length];
        for (int i = 0; i < z.Length; i++)
        {
            dz[i] = (1 / (1 + Math.Exp(-z[i])) - t[i]) / z.Length;
        }
        return dz;
    }

    private static double LogSumExp(ReadOnlySpan<double> row)
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
