using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>Writes a seeded random permutation of [0, n) into a device buffer (one per epoch), on the device.</summary>
public static class Shuffle
{
    /// <summary>indices (n) = a permutation of 0..n−1 determined by (<paramref name="seed"/>, <paramref name="epoch"/>).</summary>
    public static void Permutation(Accelerator accelerator, ArrayView<int> indices, int seed, int epoch)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        int n = indices.Length;
        ShapeCheck.Positive("Shuffle", ("n", n));
        var (halfBits, keys) = Parameters(n, seed, epoch);
        accelerator.Launch(ShuffleKernels.Permute, new Index1D(n), indices, n, halfBits, keys[0], keys[1], keys[2], keys[3]);
    }

    /// <summary>The half width of the Feistel domain for n, and the four round keys for (seed, epoch).</summary>
    public static (int HalfBits, uint[] Keys) Parameters(int n, int seed, int epoch)
    {
        int bits = 1;
        while ((1L << bits) < n)
        {
            bits++;
        }
        int halfBits = (bits + 1) / 2;
        // SplitMix64 from (seed, epoch): well-spread keys even for neighbouring seeds and epochs.
        ulong state = ((ulong)(uint)seed << 32) | (uint)epoch;
        var keys = new uint[4];
        for (int r = 0; r < keys.Length; r++)
        {
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            keys[r] = (uint)(z ^ (z >> 31));
        }
        return (halfBits, keys);
    }
}
