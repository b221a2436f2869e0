using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Softmax and log-softmax over rows of logits x: (rows, classes) row-major. Every row is shifted by its maximum before
/// exponentiating, so logits of ±1000 give no overflow, NaN or ∞. Variants (kernels.md): 0 one lane per row
/// (<see cref="Rows"/>), 1 one group of <see cref="GroupSize"/> lanes per row (<see cref="RowsGrouped"/>) for long rows.
/// The row functions serve the cross-entropy kernels too.
/// </summary>
public static partial class SoftmaxKernels
{
    /// <summary>Lanes per row of the grouped variants.</summary>
    public const int GroupSize = 128;

    /// <summary>max of a row.</summary>
    [KernelFunction]
    public static float RowMax(ArrayView<float> row)
    {
        float max = row[0];
        for (int c = 1; c < row.Length; c++)
        {
            max = GroupReduce.NanMax(max, row[c]);
        }
        return max;
    }

    /// <summary>max of row[lane], row[lane + GroupSize], …; −∞ for a lane past the row's end.</summary>
    [KernelFunction]
    public static float StridedMax(ArrayView<float> row, int lane)
    {
        float max = float.NegativeInfinity;
        for (int c = lane; c < row.Length; c += GroupSize)
        {
            max = GroupReduce.NanMax(max, row[c]);
        }
        return max;
    }

    /// <summary>Σ e^(row[c] − max) over c = lane, lane + GroupSize, ….</summary>
    [KernelFunction]
    public static float StridedSumExp(ArrayView<float> row, float max, int lane)
    {
        float sum = 0f;
        for (int c = lane; c < row.Length; c += GroupSize)
        {
            sum += MathF.Exp(row[c] - max);
        }
        return sum;
    }

    /// <summary>log Σ e^(row − max) + max: the row's log-partition, computed without overflow.</summary>
    [KernelFunction]
    public static float RowLogSumExp(ArrayView<float> row)
    {
        float max = RowMax(row);
        float sum = 0f;
        for (int c = 0; c < row.Length; c++)
        {
            sum += MathF.Exp(row[c] - max);
        }
        return max + MathF.Log(sum);
    }

    /// <summary>
    /// Variant 0: one lane per row (index over rows). y = softmax(x) per row, or log-softmax when log ≠ 0.
    /// x, y: (rows, classes).
    /// </summary>
    [Kernel]
    public static void Rows(Index1D row, ArrayView<float> x, ArrayView<float> y, int classes, int log)
    {
        int start = row * classes;
        var xr = x.SubView(start, classes);
        float max = RowMax(xr);
        float sum = 0f;
        for (int c = 0; c < classes; c++)
        {
            sum += MathF.Exp(xr[c] - max);
        }
        float logSum = MathF.Log(sum);
        float inverse = 1f / sum;
        for (int c = 0; c < classes; c++)
        {
            float shifted = xr[c] - max;
            y[start + c] = log != 0 ? shifted - logSum : MathF.Exp(shifted) * inverse;
        }
    }

    /// <summary>
    /// Variant 1: one group of <see cref="GroupSize"/> lanes per row (launch rows groups): lanes stride over the
    /// row, and the max and the sum are tree-reduced in shared memory. Same contract as <see cref="Rows"/>.
    /// </summary>
    [Kernel]
    public static void RowsGrouped(ArrayView<float> x, ArrayView<float> y, int classes, int log)
    {
        var partial = SharedMemory.Allocate<float>(GroupSize);
        int lane = Group.IdxX;
        int start = Grid.IdxX * classes;
        var xr = x.SubView(start, classes);
        float max = GroupReduce.Max(partial, StridedMax(xr, lane));
        float sum = GroupReduce.Sum(partial, StridedSumExp(xr, max, lane));
        float logSum = MathF.Log(sum);
        float inverse = 1f / sum;
        for (int c = lane; c < classes; c += GroupSize)
        {
            float shifted = x[start + c] - max;
            y[start + c] = log != 0 ? shifted - logSum : MathF.Exp(shifted) * inverse;
        }
    }
}
