using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Parameter updates, element-wise over flat (count) vectors: weights w, gradients grad and the optimiser state, all
/// updated in place, one lane per parameter (each element is read once and written once: bandwidth-bound).
/// PyTorch semantics (torch.optim.SGD with dampening 0, torch.optim.Adam / AdamW); see <see cref="Optimizer"/>.
/// </summary>
public static partial class OptimizerKernels
{
    /// <summary>
    /// SGD with momentum μ and coupled L2 weight decay: g = grad + wd·w; v = μ·v + g; w −= lr·(nesterov ? g + μ·v : v).
    /// w, grad, velocity: (count). nesterov: 0 or 1. With velocity starting at 0 the first step sets v = g, as PyTorch does.
    /// </summary>
    [Kernel]
    public static void SgdMomentum(Index1D i, ArrayView<float> w, ArrayView<float> grad, ArrayView<float> velocity,
        float learningRate, float momentum, float weightDecay, int nesterov)
    {
        float weight = w[i];
        float g = grad[i] + weightDecay * weight;
        float v = momentum * velocity[i] + g;
        velocity[i] = v;
        float step = nesterov != 0 ? g + momentum * v : v;
        w[i] = weight - learningRate * step;
    }

    /// <summary>
    /// Adam step t: g = grad + l2·w (Adam's coupled decay); w ·= decoupledFactor (AdamW's 1 − lr·wd, else 1);
    /// m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; w −= stepSize·m / (√v / correction2Sqrt + ε), where the host passes
    /// stepSize = lr / (1 − β1^t) and correction2Sqrt = √(1 − β2^t) (computed in double), i.e. lr·m̂ / (√v̂ + ε) in
    /// PyTorch's order of operations. w, grad, m, v: (count).
    /// </summary>
    [Kernel]
    public static void Adam(Index1D i, ArrayView<float> w, ArrayView<float> grad, ArrayView<float> m, ArrayView<float> v,
        float beta1, float beta2, float epsilon, float stepSize, float correction2Sqrt, float l2, float decoupledFactor)
    {
        float weight = w[i];
        float g = grad[i] + l2 * weight;
        weight *= decoupledFactor;
        float mi = beta1 * m[i] + (1f - beta1) * g;
        float vi = beta2 * v[i] + (1f - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        w[i] = weight - stepSize * mi / (MathF.Sqrt(vi) / correction2Sqrt + epsilon);
    }
}
