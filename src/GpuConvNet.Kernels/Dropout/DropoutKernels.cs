using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Inverted dropout over flat float32 tensors (one lane per element): keep element i iff <see cref="Hash"/>(seed,
/// step, i) ≥ threshold, recomputed by the backward from (seed, step) instead of stored.
/// </summary>
public static partial class DropoutKernels
{
    /// <summary>
    /// The dropout hash of element <paramref name="index"/> at (<paramref name="seed"/>, <paramref name="step"/>):
    /// three mixer rounds, keyed first by the seed and then by the step, so that every step draws a fresh mask.
    /// </summary>
    [KernelFunction]
    public static uint Hash(uint seed, uint step, uint index)
    {
        uint h = CounterHash.Mix(index ^ CounterHash.Mix(seed));
        return CounterHash.Mix(h ^ CounterHash.Mix(step ^ 0x9e3779b9u));
    }

    /// <summary>
    /// y = x · scale where kept, 0 where dropped; kept iff Hash(seed, step, i) ≥ threshold, so
    /// P(keep) = 1 − threshold / 2³² (the host sets threshold = p·2³² and scale = 1 / (1 − p)). x, y: (n).
    /// </summary>
    [Kernel]
    public static void Forward(Index1D i, ArrayView<float> x, ArrayView<float> y, uint seed, uint step, uint threshold, float scale)
    {
        bool keep = Hash(seed, step, (uint)i.X) >= threshold;
        y[i] = keep ? x[i] * scale : 0f;
    }

    /// <summary>dx = dy · scale where the forward kept the element (the same mask, recomputed from seed and step), else 0.</summary>
    [Kernel]
    public static void Backward(Index1D i, ArrayView<float> dy, ArrayView<float> dx, uint seed, uint step, uint threshold, float scale)
    {
        bool keep = Hash(seed, step, (uint)i.X) >= threshold;
        dx[i] = keep ? dy[i] * scale : 0f;
    }
}
