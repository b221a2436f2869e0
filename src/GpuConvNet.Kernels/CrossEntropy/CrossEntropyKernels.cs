using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Cross-entropy with integer labels over rows of logits x: (rows, classes) row-major, fused with softmax. The loss
/// reduces to one float on the device in a single group of <see cref="ReduceGroup"/> lanes (deterministic: no atomics);
/// the backward has variant 0 one lane per row (<see cref="Backward"/>) and 1 one group per row (<see cref="BackwardGrouped"/>).
/// Labels outside 0…classes−1 make the row's loss and gradient NaN; they are never used as an address unchecked.
/// </summary>
public static partial class CrossEntropyKernels
{
    /// <summary>Lanes of the single group that reduces a loss to one float.</summary>
    public const int ReduceGroup = 256;

    /// <summary>
    /// The loss of cross-entropy with integer labels: loss[0] = mean over rows of logsumexp(x_r) − x_r[label_r].
    /// Launch one group of <see cref="ReduceGroup"/> lanes. x: (rows, classes), labels: (rows), loss: (1).
    /// </summary>
    [Kernel]
    public static void Loss(ArrayView<float> x, ArrayView<int> labels, ArrayView<float> loss, int rows, int classes)
    {
        var partial = SharedMemory.Allocate<float>(ReduceGroup);
        int lane = Group.IdxX;
        float sum = 0f;
        for (int r = lane; r < rows; r += ReduceGroup)
        {
            int label = labels[r];
            var xr = x.SubView(r * classes, classes);
            sum += label >= 0 && label < classes ? SoftmaxKernels.RowLogSumExp(xr) - xr[label] : float.NaN;
        }
        float total = GroupReduce.Sum(partial, sum);
        // Lane 0 writes the mean. (Written as != … return rather than if (lane == 0): the generated C's doubled
        // parentheses around == draw clang's -Wparentheses-equality warning at every program build.)
        if (lane != 0)
        {
            return;
        }
        loss[0] = total / rows;
    }

    /// <summary>
    /// Variant 0 of the fused softmax + cross-entropy backward, one lane per row: dx = (softmax(x) − onehot(label)) · scale
    /// with scale = 1 / rows for the mean loss. x, dx: (rows, classes); labels: (rows). A bad label makes its row NaN.
    /// </summary>
    [Kernel]
    public static void Backward(Index1D row, ArrayView<float> x, ArrayView<int> labels, ArrayView<float> dx, int classes, float scale)
    {
        int start = row * classes;
        int label = labels[row];
        float lse = SoftmaxKernels.RowLogSumExp(x.SubView(start, classes));
        bool valid = label >= 0 && label < classes;
        for (int c = 0; c < classes; c++)
        {
            float p = MathF.Exp(x[start + c] - lse);
            dx[start + c] = valid ? (c == label ? p - 1f : p) * scale : float.NaN;
        }
    }

    /// <summary>Variant 1 of <see cref="Backward"/>: one group of <see cref="SoftmaxKernels.GroupSize"/> lanes per row (launch rows groups).</summary>
    [Kernel]
    public static void BackwardGrouped(ArrayView<float> x, ArrayView<int> labels, ArrayView<float> dx, int classes, float scale)
    {
        var partial = SharedMemory.Allocate<float>(SoftmaxKernels.GroupSize);
        int lane = Group.IdxX;
        int row = Grid.IdxX;
        int start = row * classes;
        var xr = x.SubView(start, classes);
        float max = GroupReduce.Max(partial, SoftmaxKernels.StridedMax(xr, lane));
        float sum = GroupReduce.Sum(partial, SoftmaxKernels.StridedSumExp(xr, max, lane));
        float lse = max + MathF.Log(sum);
        int label = labels[row];
        bool valid = label >= 0 && label < classes;
        for (int c = lane; c < classes; c += SoftmaxKernels.GroupSize)
        {
            float p = MathF.Exp(x[start + c] - lse);
            dx[start + c] = valid ? (c == label ? p - 1f : p) * scale : float.NaN;
        }
    }
}
