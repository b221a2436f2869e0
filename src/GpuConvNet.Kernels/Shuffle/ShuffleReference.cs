namespace GpuConvNet.Kernels;

/// <summary>The host reference of <see cref="Shuffle.Permutation"/>: the same Feistel network, in plain C#.</summary>
public static class ShuffleReference
{
    /// <summary>The permutation of [0, n) for (seed, epoch).</summary>
    public static int[] Permutation(int n, int seed, int epoch)
    {
        var (halfBits, keys) = Shuffle.Parameters(n, seed, epoch);
        var result = new int[n];
        for (int i = 0; i < n; i++)
        {
            uint value = (uint)i;
            do
            {
                value = ShuffleKernels.Feistel(value, halfBits, keys[0], keys[1], keys[2], keys[3]);
            }
            while (value >= (uint)n);
            result[i] = (int)value;
        }
        return result;
    }
}
