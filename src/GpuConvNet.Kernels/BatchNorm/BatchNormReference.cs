namespace GpuConvNet.Kernels;

/// <summary>The float64 reference of <see cref="BatchNorm"/>: the definitions as plain loops over (n, channels, space).</summary>
public static class BatchNormReference
{
    /// <summary>The training forward's results: y, the batch's mean and 1/√(var + eps), and the moved running statistics.</summary>
    public sealed record Forward(double[] Y, double[] Mean, double[] InvStd, double[] RunningMean, double[] RunningVar);

    /// <summary>Training forward (see <see cref="BatchNorm.ForwardTraining"/>).</summary>
    public static Forward Training(ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean,
        ReadOnlySpan<double> runningVar, BatchNormShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int channels = shape.Channels;
        double count = shape.Count;
        var mean = new double[channels];
        var invStd = new double[channels];
        var newMean = new double[channels];
        var newVar = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            foreach (int i in Indices(shape, c))
            {
                sum += x[i];
            }
            mean[c] = sum / count;
            double squares = 0;
            foreach (int i in Indices(shape, c))
            {
                squares += (x[i] - mean[c]) * (x[i] - mean[c]);
            }
            invStd[c] = 1 / Math.Sqrt(squares / count + shape.Eps);
            double unbiased = count > 1 ? squares / (count - 1) : squares / count;
            newMean[c] = (1 - shape.Momentum) * runningMean[c] + shape.Momentum * mean[c];
            newVar[c] = (1 - shape.Momentum) * runningVar[c] + shape.Momentum * unbiased;
        }
        return new Forward(Affine(x, gamma, beta, mean, invStd, shape), mean, invStd, newMean, newVar);
    }

    /// <summary>Inference forward from running statistics (see <see cref="BatchNorm.ForwardInference"/>).</summary>
    public static double[] Inference(ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> runningMean,
        ReadOnlySpan<double> runningVar, BatchNormShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var invStd = new double[shape.Channels];
        for (int c = 0; c < shape.Channels; c++)
        {
            invStd[c] = 1 / Math.Sqrt(runningVar[c] + shape.Eps);
        }
        return Affine(x, gamma, beta, runningMean, invStd, shape);
    }

    /// <summary>
    /// Training backward: with g = dy (or, with a fused ReLU, dy where the output y is positive, else 0), dGamma = Σ g·x̂,
    /// dBeta = Σ g, dx = gamma·invStd/count·(count·g − dBeta − x̂·dGamma) (checked against finite differences of
    /// <see cref="Training"/> in the tests).
    /// </summary>
    public static (double[] Dx, double[] DGamma, double[] DBeta) Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> upstream,
        ReadOnlySpan<double> gamma, ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd, BatchNormShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var dy = new double[upstream.Length];
        for (int i = 0; i < dy.Length; i++)
        {
            dy[i] = shape.Relu && y[i] <= 0 ? 0 : upstream[i];
        }
        var dGamma = new double[shape.Channels];
        var dBeta = new double[shape.Channels];
        var dx = new double[x.Length];
        double count = shape.Count;
        for (int c = 0; c < shape.Channels; c++)
        {
            foreach (int i in Indices(shape, c))
            {
                dBeta[c] += dy[i];
                dGamma[c] += dy[i] * (x[i] - mean[c]) * invStd[c];
            }
            foreach (int i in Indices(shape, c))
            {
                double xHat = (x[i] - mean[c]) * invStd[c];
                dx[i] = gamma[c] * invStd[c] / count * (count * dy[i] - dBeta[c] - xHat * dGamma[c]);
            }
        }
        return (dx, dGamma, dBeta);
    }

    private static double[] Affine(ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd, BatchNormShape shape)
    {
        var y = new double[x.Length];
        for (int c = 0; c < shape.Channels; c++)
        {
            foreach (int i in Indices(shape, c))
            {
                double v = gamma[c] * (x[i] - mean[c]) * invStd[c] + beta[c];
                y[i] = shape.Relu ? Math.Max(0, v) : v;
            }
        }
        return y;
    }

    // The indices of channel c's elements in (n, channels, space) order.
    private static IEnumerable<int> Indices(BatchNormShape shape, int c)
    {
        for (int b = 0; b < shape.N; b++)
        {
            for (int s = 0; s < shape.Space; s++)
            {
                yield return (b * shape.Channels + c) * shape.Space + s;
            }
        }
    }
}
