using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Builds a training batch on the device from a shuffled index buffer. images: (count, height·width) bytes row-major,
/// labels: (count), indices: (total) a permutation of [0, count); sample b of the batch is image indices[start + b].
/// x: (batch, 1, height, width) float32 NCHW, x = (byte / 255 − mean) / std; y: (batch). One lane per output pixel.
/// Variants (kernels.md): 0 <see cref="Gather"/>, 1 <see cref="GatherShifted"/> (random-shift augmentation).
/// </summary>
public static partial class GatherKernels
{
    /// <summary>A counter-based random 32-bit value for (seed, step, sample): no state, any lane can draw any sample's.</summary>
    [KernelFunction]
    public static uint SampleHash(uint seed, uint step, uint sample)
    {
        return CounterHash.Mix(CounterHash.Mix(CounterHash.Mix(seed) ^ step) ^ sample);
    }

    /// <summary>Variant 0: lane i writes x[i] (sample b = i / pixels, pixel p = i % pixels) and, for p = 0, y[b].</summary>
    [Kernel]
    public static void Gather(Index1D i, ArrayView<byte> images, ArrayView<int> labels, ArrayView<int> indices, ArrayView<float> x,
        ArrayView<int> y, int start, int pixels, float mean, float std)
    {
        int b = i / pixels;
        int p = i - b * pixels;
        int source = indices[start + b];
        x[i] = ((float)images[source * pixels + p] / 255f - mean) / std;
        if (p == 0)
        {
            y[b] = labels[source];
        }
    }

    /// <summary>
    /// Variant 1: as <see cref="Gather"/>, with sample b translated by (dx, dy) ∈ [−maxShift, maxShift]²:
    /// x[b, 0, r, c] = image[r − dy, c − dx], or byte 0 (background) outside the image, then normalised.
    /// h = <see cref="SampleHash"/>(seed, step, b); dx = h mod (2s + 1) − s; dy = <see cref="Mix"/>(h) mod (2s + 1) − s.
    /// index = (c, r, b) over (width, height, batch): the 3D extent spares the lanes dividing by the image size.
    /// </summary>
    [Kernel]
    public static void GatherShifted(Index3D index, ArrayView<byte> images, ArrayView<int> labels, ArrayView<int> indices, ArrayView<float> x,
        ArrayView<int> y, int start, int height, int width, float mean, float std, int maxShift, int seed, int step)
    {
        int c = index.X;
        int r = index.Y;
        int b = index.Z;
        int pixels = height * width;
        int source = indices[start + b];
        // Every lane of a sample recomputes its hash: a few integer operations, cheaper than a second pass through memory.
        uint span = (uint)(2 * maxShift + 1);
        uint h = SampleHash((uint)seed, (uint)step, (uint)b);
        int row = r - ((int)(CounterHash.Mix(h) % span) - maxShift);
        int column = c - ((int)(h % span) - maxShift);
        bool inside = row >= 0 && row < height && column >= 0 && column < width;
        float raw = inside ? (float)images[source * pixels + row * width + column] : 0f;
        x[b * pixels + r * width + c] = (raw / 255f - mean) / std;
        if (r == 0 && c == 0)
        {
            y[b] = labels[source];
        }
    }
}
