namespace GpuConvNet.Kernels;

/// <summary>The float64 reference of <see cref="Tensor"/>'s ops.</summary>
public static class TensorReference
{
    /// <summary>(N, classes): 1 where the class is the label, else 0.</summary>
    public static double[] OneHot(IReadOnlyList<int> labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var targets = new double[labels.Count * classes];
        for (int n = 0; n < labels.Count; n++)
        {
            for (int c = 0; c < classes; c++)
            {
                targets[(n * classes) + c] = labels[n] == c ? 1 : 0;
            }
        }
        return targets;
    }

    /// <summary>sum + value · weight.</summary>
    public static double AccumulateScalar(double sum, double value, double weight) => sum + (value * weight);
}
