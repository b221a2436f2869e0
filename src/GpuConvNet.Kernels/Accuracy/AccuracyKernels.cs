using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Argmax over classes and a device-side count of correct predictions, so that accuracy costs the host one scalar per
/// logging interval. logits: (n, classes) row-major, labels: (n), predictions: (n), correct: (1) accumulated.
/// Variants (kernels.md): 0 <see cref="ArgmaxAtomic"/> (one atomic per hit), 1 <see cref="ArgmaxGroupCount"/>
/// (a group reduction, one atomic per group).
/// </summary>
public static partial class AccuracyKernels
{
    /// <summary>Lanes per group of <see cref="ArgmaxGroupCount"/> (a power of two: the tree halves it).</summary>
    public const int GroupSize = 128;

    /// <summary>
    /// The first index of the largest of row's classes logits (ties go to the lower class, like torch.argmax and
    /// numpy.argmax; a NaN is never larger, so it is chosen only as class 0 of a row whose other entries are NaN or smaller).
    /// </summary>
    [KernelFunction]
    public static int ArgmaxOfRow(ArrayView<float> logits, int row, int classes)
    {
        int start = row * classes;
        int best = 0;
        float bestValue = logits[start];
        for (int j = 1; j < classes; j++)
        {
            float value = logits[start + j];
            if (value > bestValue)
            {
                bestValue = value;
                best = j;
            }
        }
        return best;
    }

    /// <summary>Variant 0: lane i writes predictions[i] and adds 1 to correct[0] when it equals labels[i].</summary>
    [Kernel]
    public static void ArgmaxAtomic(Index1D i, ArrayView<float> logits, ArrayView<int> labels, ArrayView<int> predictions,
        ArrayView<int> correct, int classes)
    {
        int best = ArgmaxOfRow(logits, i, classes);
        predictions[i] = best;
        if (best == labels[i])
        {
            Atomic.Add(ref correct[0], 1);
        }
    }

    /// <summary>
    /// Variant 1: as variant 0, but each group of <see cref="GroupSize"/> lanes sums its hits in shared memory and adds
    /// them to correct[0] once, so contention on the counter is n / 128 atomics instead of up to n.
    /// Launch with <see cref="Accuracy.GroupCountConfig"/>.
    /// </summary>
    [Kernel]
    public static void ArgmaxGroupCount(ArrayView<float> logits, ArrayView<int> labels, ArrayView<int> predictions,
        ArrayView<int> correct, int n, int classes)
    {
        var hits = SharedMemory.Allocate<int>(GroupSize);
        int lane = Group.IdxX;
        int i = Grid.GlobalIndex.X;
        int hit = 0;
        if (i < n)
        {
            int best = ArgmaxOfRow(logits, i, classes);
            predictions[i] = best;
            hit = best == labels[i] ? 1 : 0;
        }
        int total = GroupReduce.SumInt(hits, hit);
        if (lane == 0 && total > 0)
        {
            Atomic.Add(ref correct[0], total);
        }
    }
}
