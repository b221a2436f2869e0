namespace GpuConvNet.Kernels;

/// <summary>
/// The float64 reference of <see cref="BatchNormPool"/>: the unfused chain it replaces, the references of
/// <see cref="BatchNorm"/> (with its ReLU) and of <see cref="MaxPool"/> one after the other.
/// </summary>
public static class BatchNormPoolReference
{
    /// <summary>The training forward's results: the batch norm's (its full-size output included) and the pooling's.</summary>
    public sealed record Forward(BatchNormReference.Forward Norm, double[] Y, int[] Argmax);

    /// <summary>Training forward (see <see cref="BatchNormPool.ForwardTraining"/>).</summary>
    public static Forward Training(ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean,
        ReadOnlySpan<double> runningVar, BatchNormPoolShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var norm = BatchNormReference.Training(x, gamma, beta, runningMean, runningVar, shape.Norm);
        var (y, argmax) = MaxPoolReference.Forward(norm.Y, shape.Pool);
        return new Forward(norm, y, argmax);
    }

    /// <summary>Inference forward from the running statistics (see <see cref="BatchNormPool.ForwardInference"/>).</summary>
    public static double[] Inference(ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean,
        ReadOnlySpan<double> runningVar, BatchNormPoolShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return MaxPoolReference.Forward(BatchNormReference.Inference(x, gamma, beta, runningMean, runningVar, shape.Norm), shape.Pool).Y;
    }

    /// <summary>Training backward: dy (pooled) back through the pooling's argmax, then through the batch norm and its ReLU.</summary>
    public static (double[] Dx, double[] DGamma, double[] DBeta) Backward(ReadOnlySpan<double> x, Forward forward, ReadOnlySpan<double> dy,
        ReadOnlySpan<double> gamma, BatchNormPoolShape shape)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(shape);
        var upstream = MaxPoolReference.Backward(dy, forward.Argmax, shape.Pool);
        return BatchNormReference.Backward(x, forward.Norm.Y, upstream, gamma, forward.Norm.Mean, forward.Norm.InvStd, shape.Norm);
    }
}
