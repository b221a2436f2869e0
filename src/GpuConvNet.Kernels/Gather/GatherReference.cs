namespace GpuConvNet.Kernels;

/// <summary>The reference of <see cref="Gather"/>: normalisation in double, shifts from its own copy of the hash.</summary>
public static class GatherReference
{
    /// <summary>x and y of <see cref="Gather.Batch"/>, with the same layouts.</summary>
    public static (double[] X, int[] Y) Gather(ReadOnlySpan<byte> images, ReadOnlySpan<int> labels, ReadOnlySpan<int> indices,
        int start, int batch, int height, int width, Normalization normalization, RandomShift? shift = null)
    {
        int pixels = height * width;
        var x = new double[batch * pixels];
        var y = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            int source = indices[start + b];
            y[b] = labels[source];
            var (dx, dy) = shift is { } s ? Shift(s, b) : (0, 0);
            for (int r = 0; r < height; r++)
            {
                for (int c = 0; c < width; c++)
                {
                    int sr = r - dy, sc = c - dx;
                    double raw = sr >= 0 && sr < height && sc >= 0 && sc < width ? images[source * pixels + sr * width + sc] : 0;
                    x[b * pixels + r * width + c] = (raw / 255.0 - normalization.Mean) / normalization.Std;
                }
            }
        }
        return (x, y);
    }

    /// <summary>
    /// Sample <paramref name="sample"/>'s shift under <paramref name="shift"/>: the kernels' hash, written again here in
    /// 64-bit arithmetic truncated to 32 bits, so that a slip in either copy shows as a mismatch.
    /// </summary>
    public static (int Dx, int Dy) Shift(RandomShift shift, int sample)
    {
        if (shift.MaxShift == 0)
        {
            return (0, 0);
        }
        ulong h = Mix(Mix(Mix(unchecked((uint)shift.Seed)) ^ unchecked((uint)shift.Step)) ^ (uint)sample);
        ulong span = (ulong)(2 * shift.MaxShift + 1);
        return ((int)(h % span) - shift.MaxShift, (int)(Mix(h) % span) - shift.MaxShift);
    }

    /// <summary>
    /// <see cref="CounterHash.Mix"/> written again in 64-bit arithmetic masked to 32 bits, so that the references check
    /// the device's hash instead of sharing its code.
    /// </summary>
    internal static ulong Mix(ulong value)
    {
        const ulong mask = 0xffff_ffff;
        ulong h = value & mask;
        h ^= h >> 16;
        h = h * 0x7feb352d & mask;
        h ^= h >> 15;
        h = h * 0x846ca68b & mask;
        h ^= h >> 16;
        return h;
    }
}
