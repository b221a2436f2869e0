using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Element-wise activations over flat float32 tensors of any shape (one lane per element; every view has the same
/// length n). ReLU and sigmoid forward/backward, and dropout with a counter-based mask: keep element i iff
/// <see cref="DropoutHash"/>(seed, step, i) ≥ threshold, recomputed by the backward from (seed, step) instead of stored.
/// </summary>
public static partial class ActivationKernels
{
    /// <summary>y = max(x, 0). x, y: (n).</summary>
    [Kernel]
    public static void ReluForward(Index1D i, ArrayView<float> x, ArrayView<float> y)
    {
        float v = x[i];
        // Not MathF.Max: fmax(NaN, 0) is 0, and a NaN must propagate to the loss rather than vanish here.
        // !(v <= 0) holds for positive v and for NaN.
        y[i] = !(v <= 0f) ? v : 0f;
    }

    /// <summary>dx = dy where the forward output y is positive, else 0 (y > 0 ⇔ x > 0). y, dy, dx: (n).</summary>
    [Kernel]
    public static void ReluBackward(Index1D i, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        dx[i] = y[i] > 0f ? dy[i] : 0f;
    }

    /// <summary>y = 1 / (1 + e^−x). x, y: (n). e^−x overflows to +∞ for x &lt; −88, giving exactly 0, never NaN.</summary>
    [Kernel]
    public static void SigmoidForward(Index1D i, ArrayView<float> x, ArrayView<float> y)
    {
        y[i] = 1f / (1f + MathF.Exp(-x[i]));
    }

    /// <summary>dx = dy · y · (1 − y) from the forward output y. y, dy, dx: (n).</summary>
    [Kernel]
    public static void SigmoidBackward(Index1D i, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        float s = y[i];
        dx[i] = dy[i] * s * (1f - s);
    }

    /// <summary>
    /// One round of the "lowbias32" 32-bit integer mixer (xor-shift / multiply; constants published by C. Wellons'
    /// hash-prospector): a bijection on uint with good avalanche. Integer only, so C#, OpenCL C and CUDA C agree bit for bit.
    /// </summary>
    [KernelFunction]
    public static uint Mix(uint v)
    {
        v ^= v >> 16;
        v *= 0x7feb352du;
        v ^= v >> 15;
        v *= 0x846ca68bu;
        v ^= v >> 16;
        return v;
    }

    /// <summary>
    /// The dropout hash of element <paramref name="index"/> at (<paramref name="seed"/>, <paramref name="step"/>):
    /// three mixer rounds, keyed first by the seed and then by the step, so that every step draws a fresh mask.
    /// </summary>
    [KernelFunction]
    public static uint DropoutHash(uint seed, uint step, uint index)
    {
        uint h = Mix(index ^ Mix(seed));
        return Mix(h ^ Mix(step ^ 0x9e3779b9u));
    }

    /// <summary>
    /// y = x · scale where kept, 0 where dropped; kept iff DropoutHash(seed, step, i) ≥ threshold, so
    /// P(keep) = 1 − threshold / 2³² (the host sets threshold = p·2³² and scale = 1 / (1 − p)). x, y: (n).
    /// </summary>
    [Kernel]
    public static void DropoutForward(Index1D i, ArrayView<float> x, ArrayView<float> y, uint seed, uint step, uint threshold, float scale)
    {
        bool keep = DropoutHash(seed, step, (uint)i.X) >= threshold;
        y[i] = keep ? x[i] * scale : 0f;
    }

    /// <summary>dx = dy · scale where the forward kept the element (the same mask, recomputed from seed and step), else 0.</summary>
    [Kernel]
    public static void DropoutBackward(Index1D i, ArrayView<float> dy, ArrayView<float> dx, uint seed, uint step, uint threshold, float scale)
    {
        bool keep = DropoutHash(seed, step, (uint)i.X) >= threshold;
        dx[i] = keep ? dy[i] * scale : 0f;
    }
}
