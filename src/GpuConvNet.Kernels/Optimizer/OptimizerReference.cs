namespace GpuConvNet.Kernels;

/// <summary>The float64 references of <see cref="Optimizer"/>: the textbook formulas on double state.</summary>
public static class OptimizerReference
{
    /// <summary>One SGD step on w and velocity in place (the formulas of <see cref="Optimizer.SgdStep"/>).</summary>
    public static void SgdStep(double[] w, ReadOnlySpan<float> grad, double[] velocity, SgdSettings settings)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(velocity);
        double lr = settings.LearningRate, mu = settings.Momentum, wd = settings.WeightDecay;
        for (int i = 0; i < w.Length; i++)
        {
            double g = grad[i] + wd * w[i];
            velocity[i] = mu * velocity[i] + g;
            w[i] -= lr * (settings.Nesterov ? g + mu * velocity[i] : velocity[i]);
        }
    }

    /// <summary>Adam step t ≥ 1 on w, m and v in place, written as m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t), w −= lr·m̂ / (√v̂ + ε).</summary>
    public static void AdamStep(double[] w, ReadOnlySpan<float> grad, double[] m, double[] v, AdamSettings settings, int step)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(v);
        double lr = settings.LearningRate, b1 = settings.Beta1, b2 = settings.Beta2, eps = settings.Epsilon, wd = settings.WeightDecay;
        for (int i = 0; i < w.Length; i++)
        {
            double g = grad[i];
            if (settings.Decay == AdamWeightDecay.Coupled)
            {
                g += wd * w[i];
            }
            else
            {
                w[i] -= lr * wd * w[i];
            }
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            double mHat = m[i] / (1 - Math.Pow(b1, step));
            double vHat = v[i] / (1 - Math.Pow(b2, step));
            w[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
        }
    }
}
