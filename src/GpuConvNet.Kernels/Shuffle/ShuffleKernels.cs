using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// A random permutation of [0, n) computed on the device, one lane per position, with no state and no host
/// round-trip: a 4-round Feistel network over the smallest even-bit-width domain ≥ n is a bijection of that domain,
/// and "cycle-walking" (re-applying it until the value falls below n) restricts it to a bijection of [0, n). The domain
/// is less than 4n, so a lane walks fewer than 4 steps on average. Integer-only, so every backend gives the same order.
/// </summary>
public static partial class ShuffleKernels
{
    /// <summary>The Feistel round function: a 32-bit integer mixer of the half-block and the round key.</summary>
    [KernelFunction]
    public static uint Round(uint half, uint key)
    {
        uint h = half ^ key;
        h ^= h >> 16;
        h *= 0x7feb352du;
        h ^= h >> 15;
        h *= 0x846ca68bu;
        h ^= h >> 16;
        return h;
    }

    /// <summary>One pass of the 4-round Feistel network over 2·halfBits bits.</summary>
    [KernelFunction]
    public static uint Feistel(uint value, int halfBits, uint key0, uint key1, uint key2, uint key3)
    {
        uint mask = (1u << halfBits) - 1u;
        uint left = value >> halfBits;
        uint right = value & mask;
        for (int round = 0; round < 4; round++)
        {
            uint key = round == 0 ? key0 : round == 1 ? key1 : round == 2 ? key2 : key3;
            uint next = left ^ (Round(right, key) & mask);
            left = right;
            right = next;
        }
        return (left << halfBits) | right;
    }

    /// <summary>indices[i] = π(i) for a permutation π of [0, n) chosen by the keys. indices: (n).</summary>
    [Kernel]
    public static void Permute(Index1D i, ArrayView<int> indices, int n, int halfBits, uint key0, uint key1, uint key2, uint key3)
    {
        uint value = (uint)(int)i;
        do
        {
            value = Feistel(value, halfBits, key0, key1, key2, key3);
        }
        while (value >= (uint)n);
        indices[i] = (int)value;
    }
}
