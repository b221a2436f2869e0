using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Bias gradients: db[c] = Σ_n Σ_s dy[n, c, s] for dy (n, channels, space) row-major (NCHW with space = H·W; a dense
/// layer's (n, features) is space = 1). db: (channels). Variants (kernels.md): 0 <see cref="PerChannel"/> (one lane per
/// channel; dense layers), 1 <see cref="GroupPerChannel"/> (one group per channel, shared-memory tree; convolutions on GPUs),
/// 2 <see cref="PlaneBlocked"/> (one lane per channel, sixteen partial sums; convolutions on CPUs).
/// </summary>
public static partial class BiasGradientKernels
{
    /// <summary>Lanes per group of <see cref="GroupPerChannel"/> (a power of two: the tree halves it).</summary>
    public const int GroupSize = 256;

    /// <summary>
    /// Variant 0: lane c sums its channel over n and s in order. With space = 1 neighbouring lanes read neighbouring
    /// columns of a row, so the reads coalesce (GPUs) and vectorise (PoCL); the parallelism is only channels lanes.
    /// </summary>
    [Kernel]
    public static void PerChannel(Index1D c, ArrayView<float> dy, ArrayView<float> db, int n, int channels, int space)
    {
        float sum = 0f;
        for (int b = 0; b < n; b++)
        {
            int start = (b * channels + c) * space;
            for (int s = 0; s < space; s++)
            {
                sum += dy[start + s];
            }
        }
        db[c] = sum;
    }

    /// <summary>
    /// Variant 1: group c (of <see cref="GroupSize"/> lanes) sums channel c. Lane l takes elements l, l + 256, … of the
    /// channel's n·space values (element e is dy[(e / space · channels + c) · space + e % space]), so the lanes read
    /// each image's contiguous plane together; then a shared-memory tree adds the 256 partial sums.
    /// Launch with <see cref="BiasGradient.GroupPerChannelConfig"/>.
    /// </summary>
    [Kernel]
    public static void GroupPerChannel(ArrayView<float> dy, ArrayView<float> db, int n, int channels, int space)
    {
        var partial = SharedMemory.Allocate<float>(GroupSize);
        int lane = Group.IdxX;
        int c = Grid.IdxX;
        int count = n * space;
        float sum = 0f;
        // Walk (b, s) incrementally rather than dividing per element: 256 elements on is stepB images and stepS more.
        int stepB = GroupSize / space;
        int stepS = GroupSize % space;
        int b = lane / space;
        int s = lane % space;
        for (int e = lane; e < count; e += GroupSize)
        {
            sum += dy[(b * channels + c) * space + s];
            b += stepB;
            s += stepS;
            if (s >= space)
            {
                s -= space;
                b++;
            }
        }
        float total = GroupReduce.Sum(partial, sum);
        if (lane == 0)
        {
            db[c] = total;
        }
    }

    /// <summary>
    /// Variant 2: lane c sums its channel with sixteen partial sums along the plane, which keep the float32 error small
    /// and let CPU compilers (PoCL) vectorise the plane loop; for convolutions on CPUs. Same layout as <see cref="PerChannel"/>.
    /// </summary>
    [Kernel]
    public static void PlaneBlocked(Index1D index, ArrayView<float> dy, ArrayView<float> db, int batch, int outChannels, int planeLength)
    {
        int k = index;
        Span<float> partial = stackalloc float[16];
        int whole = planeLength / 16 * 16;
        for (int n = 0; n < batch; n++)
        {
            int start = (n * outChannels + k) * planeLength;
            for (int j0 = 0; j0 < whole; j0 += 16)
            {
                for (int j = 0; j < 16; j++)
                {
                    partial[j] += dy[start + j0 + j];
                }
            }
            for (int j = whole; j < planeLength; j++)
            {
                partial[j - whole] += dy[start + j];
            }
        }
        float sum = 0f;
        for (int j = 0; j < 16; j++)
        {
            sum += partial[j];
        }
        db[k] = sum;
    }
}
