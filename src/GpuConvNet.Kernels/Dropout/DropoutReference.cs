namespace GpuConvNet.Kernels;

/// <summary>The float64 reference of <see cref="Dropout"/>: its backward is the same mask and scale applied to dy.</summary>
public static class DropoutReference
{
    /// <summary>x / (1 − p) where <see cref="Dropout.Keeps"/>, else 0 (the mask is the kernels' own, computed on the host).</summary>
    public static double[] Forward(ReadOnlySpan<double> x, float p, uint seed, uint step)
    {
        var y = new double[x.Length];
        double scale = 1.0 / (1.0 - p);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = Dropout.Keeps(p, seed, step, i) ? x[i] * scale : 0;
        }
        return y;
    }
}
