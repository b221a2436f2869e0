namespace GpuConvNet.Kernels;

/// <summary>The float64 references of <see cref="BinaryCrossEntropy"/>: the mean loss and its gradients.</summary>
public static class BinaryCrossEntropyReference
{
    /// <summary>−mean(t·log p + (1 − t)·log(1 − p)), each log floored at −100.</summary>
    public static double Loss(ReadOnlySpan<double> p, ReadOnlySpan<double> t)
    {
        double total = 0;
        for (int i = 0; i < p.Length; i++)
        {
            total -= t[i] * Math.Max(Math.Log(p[i]), BinaryCrossEntropyKernels.LogFloor) + (1 - t[i]) * Math.Max(Math.Log(1 - p[i]), BinaryCrossEntropyKernels.LogFloor);
        }
        return total / p.Length;
    }

    /// <summary>(p − t) / max(p·(1 − p), 1e-12) / n.</summary>
    public static double[] Backward(ReadOnlySpan<double> p, ReadOnlySpan<double> t)
    {
        var dp = new double[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            dp[i] = (p[i] - t[i]) / Math.Max(p[i] * (1 - p[i]), 1e-12) / p.Length;
        }
        return dp;
    }

    /// <summary>(σ(z) − t) / n.</summary>
    public static double[] SigmoidBackward(ReadOnlySpan<double> z, ReadOnlySpan<double> t)
    {
        var dz = new double[z.Length];
        for (int i = 0; i < z.Length; i++)
        {
            dz[i] = (1 / (1 + Math.Exp(-z[i])) - t[i]) / z.Length;
        }
        return dz;
    }
}
