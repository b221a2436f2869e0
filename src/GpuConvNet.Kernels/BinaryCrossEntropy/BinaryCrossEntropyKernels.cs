using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Binary cross-entropy of probabilities against targets in [0, 1], flat (n): the mean loss reduced on the device in
/// one group of <see cref="CrossEntropyKernels.ReduceGroup"/> lanes, its backward with respect to the probabilities,
/// and the fused sigmoid + BCE backward with respect to the logits.
/// </summary>
public static partial class BinaryCrossEntropyKernels
{
    /// <summary>The most negative log-probability a binary cross-entropy term may take (log 0 is clamped to it, as PyTorch does).</summary>
    public const float LogFloor = -100f;

    /// <summary>
    /// Binary cross-entropy of probabilities p against targets t in [0, 1], mean over n elements:
    /// loss[0] = −mean(t·log p + (1 − t)·log(1 − p)), each log clamped below at <see cref="LogFloor"/> so p = 0 or 1
    /// gives a finite loss. Launch one group of <see cref="CrossEntropyKernels.ReduceGroup"/> lanes. p, t: (n); loss: (1).
    /// </summary>
    [Kernel]
    public static void Loss(ArrayView<float> p, ArrayView<float> t, ArrayView<float> loss, int n)
    {
        var partial = SharedMemory.Allocate<float>(CrossEntropyKernels.ReduceGroup);
        int lane = Group.IdxX;
        float sum = 0f;
        for (int i = lane; i < n; i += CrossEntropyKernels.ReduceGroup)
        {
            float pi = p[i];
            float ti = t[i];
            sum -= ti * ClampedLog(pi) + (1f - ti) * ClampedLog(1f - pi);
        }
        float total = GroupReduce.Sum(partial, sum);
        // Lane 0 writes the mean. (Written as != … return rather than if (lane == 0): the generated C's doubled
        // parentheses around == draw clang's -Wparentheses-equality warning at every program build.)
        if (lane != 0)
        {
            return;
        }
        loss[0] = total / n;
    }

    /// <summary>
    /// dp = (p − t) / max(p·(1 − p), 1e-12) · scale (scale = 1 / n for the mean): the gradient of
    /// <see cref="Loss"/> with respect to the probabilities. p, t, dp: (n).
    /// </summary>
    [Kernel]
    public static void Backward(Index1D i, ArrayView<float> p, ArrayView<float> t, ArrayView<float> dp, float scale)
    {
        float pi = p[i];
        float variance = pi * (1f - pi);
        // Comparison, not MathF.Max, so that a NaN probability stays NaN.
        dp[i] = (pi - t[i]) / (variance < 1e-12f ? 1e-12f : variance) * scale;
    }

    /// <summary>
    /// The fused sigmoid + binary cross-entropy backward: dz = (σ(z) − t) · scale, the gradient with respect to the
    /// logits z of the mean BCE of σ(z). Exact where the unfused chain divides by p·(1 − p) → 0. z, t, dz: (n).
    /// </summary>
    [Kernel]
    public static void SigmoidBackward(Index1D i, ArrayView<float> z, ArrayView<float> t, ArrayView<float> dz, float scale)
    {
        dz[i] = (1f / (1f + MathF.Exp(-z[i])) - t[i]) * scale;
    }

    /// <summary>log v, clamped below at <see cref="LogFloor"/> (log 0 = −∞ becomes −100; NaN stays NaN).</summary>
    [KernelFunction]
    public static float ClampedLog(float v)
    {
        float l = MathF.Log(v);
        return l < LogFloor ? LogFloor : l;
    }
}
