using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Softmax, log-softmax and the losses over rows of logits x: (rows, classes) row-major. Every row is shifted by its
/// maximum before exponentiating, so logits of ±1000 give no overflow, NaN or ∞. Variants (kernels.md): 0 one lane per
/// row (<see cref="Rows"/>, <see cref="CrossEntropyBackward"/>), 1 one group of <see cref="GroupSize"/> lanes per row
/// (<see cref="RowsGrouped"/>, <see cref="CrossEntropyBackwardGrouped"/>) for long rows. The losses reduce to one float on
/// the device in a single group of <see cref="ReduceGroup"/> lanes (deterministic: no atomics). Labels outside
/// 0…classes−1 make the row's loss and gradient NaN; they are never used as an address unchecked.
/// </summary>
public static partial class SoftmaxKernels
{
    /// <summary>Lanes per row of the grouped variants.</summary>
    public const int GroupSize = 128;

    /// <summary>Lanes of the single group that reduces a loss to one float.</summary>
    public const int ReduceGroup = 256;

    /// <summary>The most negative log-probability a binary cross-entropy term may take (log 0 is clamped to it, as PyTorch does).</summary>
    public const float LogFloor = -100f;

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

    /// <summary>
    /// The loss of cross-entropy with integer labels: loss[0] = mean over rows of logsumexp(x_r) − x_r[label_r].
    /// Launch one group of <see cref="ReduceGroup"/> lanes. x: (rows, classes), labels: (rows), loss: (1).
    /// </summary>
    [Kernel]
    public static void CrossEntropyLoss(ArrayView<float> x, ArrayView<int> labels, ArrayView<float> loss, int rows, int classes)
    {
        var partial = SharedMemory.Allocate<float>(ReduceGroup);
        int lane = Group.IdxX;
        float sum = 0f;
        for (int r = lane; r < rows; r += ReduceGroup)
        {
            int label = labels[r];
            var xr = x.SubView(r * classes, classes);
            sum += label >= 0 && label < classes ? RowLogSumExp(xr) - xr[label] : float.NaN;
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
    public static void CrossEntropyBackward(Index1D row, ArrayView<float> x, ArrayView<int> labels, ArrayView<float> dx, int classes, float scale)
    {
        int start = row * classes;
        int label = labels[row];
        float lse = RowLogSumExp(x.SubView(start, classes));
        bool valid = label >= 0 && label < classes;
        for (int c = 0; c < classes; c++)
        {
            float p = MathF.Exp(x[start + c] - lse);
            dx[start + c] = valid ? (c == label ? p - 1f : p) * scale : float.NaN;
        }
    }

    /// <summary>Variant 1 of <see cref="CrossEntropyBackward"/>: one group of <see cref="GroupSize"/> lanes per row (launch rows groups).</summary>
    [Kernel]
    public static void CrossEntropyBackwardGrouped(ArrayView<float> x, ArrayView<int> labels, ArrayView<float> dx, int classes, float scale)
    {
        var partial = SharedMemory.Allocate<float>(GroupSize);
        int lane = Group.IdxX;
        int row = Grid.IdxX;
        int start = row * classes;
        var xr = x.SubView(start, classes);
        float max = GroupReduce.Max(partial, StridedMax(xr, lane));
        float sum = GroupReduce.Sum(partial, StridedSumExp(xr, max, lane));
        float lse = max + MathF.Log(sum);
        int label = labels[row];
        bool valid = label >= 0 && label < classes;
        for (int c = lane; c < classes; c += GroupSize)
        {
            float p = MathF.Exp(x[start + c] - lse);
            dx[start + c] = valid ? (c == label ? p - 1f : p) * scale : float.NaN;
        }
    }

    /// <summary>
    /// Binary cross-entropy of probabilities p against targets t in [0, 1], mean over n elements:
    /// loss[0] = −mean(t·log p + (1 − t)·log(1 − p)), each log clamped below at <see cref="LogFloor"/> so p = 0 or 1
    /// gives a finite loss. Launch one group of <see cref="ReduceGroup"/> lanes. p, t: (n); loss: (1).
    /// </summary>
    [Kernel]
    public static void BinaryCrossEntropyLoss(ArrayView<float> p, ArrayView<float> t, ArrayView<float> loss, int n)
    {
        var partial = SharedMemory.Allocate<float>(ReduceGroup);
        int lane = Group.IdxX;
        float sum = 0f;
        for (int i = lane; i < n; i += ReduceGroup)
        {
            float pi = p[i];
            float ti = t[i];
            sum -= ti * ClampedLog(pi) + (1f - ti) * ClampedLog(1f - pi);
        }
        float total = GroupReduce.Sum(partial, sum);
        // Lane 0 writes the mean. (Written as != … return rather than if (lane == 0): the generated C's doubled
        // parentheses around == draw clang's -Wparentheses-equality warning at every program build.)
        if (lane != 0)
        {
            return;
        }
        loss[0] = total / n;
    }

    /// <summary>
    /// dp = (p − t) / max(p·(1 − p), 1e-12) · scale (scale = 1 / n for the mean): the gradient of
    /// <see cref="BinaryCrossEntropyLoss"/> with respect to the probabilities. p, t, dp: (n).
    /// </summary>
    [Kernel]
    public static void BinaryCrossEntropyBackward(Index1D i, ArrayView<float> p, ArrayView<float> t, ArrayView<float> dp, float scale)
    {
        float pi = p[i];
        float variance = pi * (1f - pi);
        // Comparison, not MathF.Max, so that a NaN probability stays NaN.
        dp[i] = (pi - t[i]) / (variance < 1e-12f ? 1e-12f : variance) * scale;
    }

    /// <summary>
    /// The fused sigmoid + binary cross-entropy backward: dz = (σ(z) − t) · scale, the gradient with respect to the
    /// logits z of the mean BCE of σ(z). Exact where the unfused chain divides by p·(1 − p) → 0. z, t, dz: (n).
    /// </summary>
    [Kernel]
    public static void SigmoidBinaryCrossEntropyBackward(Index1D i, ArrayView<float> z, ArrayView<float> t, ArrayView<float> dz, float scale)
    {
        dz[i] = (1f / (1f + MathF.Exp(-z[i])) - t[i]) * scale;
    }

    /// <summary>log v, clamped below at <see cref="LogFloor"/> (log 0 = −∞ becomes −100; NaN stays NaN).</summary>
    [KernelFunction]
    public static float ClampedLog(float v)
    {
        float l = MathF.Log(v);
        return l < LogFloor ? LogFloor : l;
    }
}
