using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>Integer hashing for counter-based randomness (dropout masks, random shifts): no state, any lane draws any value.</summary>
public static class CounterHash
{
    /// <summary>
    /// The avalanche of a 32-bit integer (two xor-shift-multiply rounds; the constants are the "lowbias32" pair found by
    /// Chris Wellons' hash prospector): a bijection on uint. Integer-only, so C#, OpenCL C and CUDA C agree bit for bit.
    /// </summary>
    [KernelFunction]
    public static uint Mix(uint value)
    {
        uint h = value;
        h ^= h >> 16;
        h *= 0x7feb352dU;
        h ^= h >> 15;
        h *= 0x846ca68bU;
        h ^= h >> 16;
        return h;
    }
}
