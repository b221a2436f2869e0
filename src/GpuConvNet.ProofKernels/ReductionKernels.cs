using GpuConvNet.Compute;

namespace GpuConvNet.ProofKernels;

/// <summary>A grouped reduction: shared memory, barriers and a float atomic.</summary>
public static partial class ReductionKernels
{
    /// <summary>Lanes per group that <see cref="GroupSum"/> expects.</summary>
    public const int GroupSize = 256;

    /// <summary>Adds every element of x into total[0]. Launch with groups of <see cref="GroupSize"/>.</summary>
    [Kernel]
    public static void GroupSum(ArrayView<float> x, ArrayView<float> total)
    {
        var partial = SharedMemory.Allocate<float>(GroupSize);
        int lane = Group.IdxX;
        int i = Grid.GlobalIndex.X;
        partial[lane] = i < x.Length ? x[i] : 0f;
        Group.Barrier();
        // Tree reduction: halve the active lanes each step; the barrier is outside the if, so every lane reaches it.
        for (int stride = Group.DimX / 2; stride > 0; stride >>= 1)
        {
            if (lane < stride)
            {
                partial[lane] += partial[lane + stride];
            }
            Group.Barrier();
        }
        if (lane == 0)
        {
            Atomic.Add(ref total[0], partial[0]);
        }
    }

    /// <summary>Counts, in counts[v], the elements of values equal to v (an int atomic histogram).</summary>
    [Kernel]
    public static void Histogram(Index1D i, ArrayView<int> values, ArrayView<int> counts)
    {
        int v = values[i];
        if (v >= 0 && v < counts.Length)
        {
            Atomic.Add(ref counts[v], 1);
        }
    }
}
