using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// 2D max pooling over NCHW float32. x: (N, C, H, W) row-major; y and argmax: (N, C, P, Q) row-major with
/// P = (H + 2·padH − kh) / strideH + 1 and Q likewise. Window (p, q) covers rows p·strideH − padH … + kh − 1 and
/// columns q·strideW − padW … + kw − 1; padding never wins (it is skipped, not read as zero). argmax holds the flat
/// index into x of the first maximum in row-major window order. Variants (kernels.md): forward 0 <see cref="Forward"/>;
/// backward 0 <see cref="BackwardGather"/> (each input gathers the dy of the windows whose argmax it is: no atomics,
/// no zero fill, deterministic, and correct when windows overlap — a scatter with Atomic.Add would need a zero pass
/// over dx, a read-modify-write per output, float atomics that are CAS loops on OpenCL 1.2, and a nondeterministic
/// sum order) and 1 <see cref="BackwardDisjoint"/> (stride ≥ window only: one lane per stride cell, no division).
/// </summary>
public static partial class MaxPoolKernels
{
    /// <summary>
    /// Variant 0: one lane per output element, index = (q, p, plane) over (Q, P, N·C). Writes y and argmax.
    /// Padding must be smaller than the window so that every window holds an input element.
    /// </summary>
    [Kernel]
    public static void Forward(Index3D index, ArrayView<float> x, ArrayView<float> y, ArrayView<int> argmax,
        int h, int w, int p, int q, int kh, int kw, int strideH, int strideW, int padH, int padW)
    {
        // A 3D index instead of dividing a flat one: integer division is not vectorised on CPUs and costs ~25 cycles.
        int oq = index.X;
        int op = index.Y;
        int plane = index.Z;
        int o = (plane * p + op) * q + oq;
        int top = op * strideH - padH;
        int left = oq * strideW - padW;
        // Clip the window to the input instead of testing each tap: padding is skipped, so it can never be the max.
        int r0 = Math.Max(top, 0);
        int r1 = Math.Min(top + kh, h);
        int c0 = Math.Max(left, 0);
        int c1 = Math.Min(left + kw, w);
        int planeStart = plane * h * w;
        int best = planeStart + r0 * w + c0;
        float bestValue = x[best];
        for (int r = r0; r < r1; r++)
        {
            for (int c = c0; c < c1; c++)
            {
                int at = planeStart + r * w + c;
                float v = x[at];
                // Strictly greater: ties keep the first maximum in row-major window order (as the reference does).
                if (v > bestValue)
                {
                    bestValue = v;
                    best = at;
                }
            }
        }
        y[o] = bestValue;
        argmax[o] = best;
    }

    /// <summary>
    /// Variant 0 of the backward: one lane per input element, index = (column, row, plane) over (W, H, N·C).
    /// dx[i] = Σ dy[o] over the windows o that contain i and whose argmax is i. dy and argmax: (N, C, P, Q);
    /// dx: (N, C, H, W). argmax is only compared, never used as an address, so a corrupt argmax cannot make this
    /// kernel read out of bounds.
    /// </summary>
    [Kernel]
    public static void BackwardGather(Index3D index, ArrayView<float> dy, ArrayView<int> argmax, ArrayView<float> dx,
        int h, int w, int p, int q, int kh, int kw, int strideH, int strideW, int padH, int padW)
    {
        int ix = index.X;
        int iy = index.Y;
        int plane = index.Z;
        int i = (plane * h + iy) * w + ix;
        // Window row op covers iy iff op·strideH − padH ≤ iy ≤ op·strideH − padH + kh − 1.
        int p1 = Math.Min((iy + padH) / strideH, p - 1);
        int q1 = Math.Min((ix + padW) / strideW, q - 1);
        int tRow = iy + padH - kh + 1;
        int tCol = ix + padW - kw + 1;
        int p0 = tRow <= 0 ? 0 : (tRow + strideH - 1) / strideH;
        int q0 = tCol <= 0 ? 0 : (tCol + strideW - 1) / strideW;
        int planeStart = plane * p * q;
        float sum = 0f;
        for (int op = p0; op <= p1; op++)
        {
            for (int oq = q0; oq <= q1; oq++)
            {
                int o = planeStart + op * q + oq;
                // A select, not a branch: no divergence on GPUs, and dy[o] sits beside the argmax just read.
                sum += argmax[o] == i ? dy[o] : 0f;
            }
        }
        dx[i] = sum;
    }

    /// <summary>
    /// Variant 1 of the backward, for disjoint windows (stride ≥ window, e.g. 2×2 stride 2). The padded input is cut into
    /// stride-sized cells, cell (cx, cy) holding window (cy, cx) in its top-left corner (when that window exists); one
    /// lane per cell writes the whole cell: dy to the argmax, 0 elsewhere. index = (cx, cy, plane) over
    /// (⌈(W + padW) / strideW⌉, ⌈(H + padH) / strideH⌉, N·C). No loops over windows and no integer division per lane
    /// (a per-input lane needs one per axis, and CPUs do not vectorise division: it cost more than the memory traffic).
    /// Same contract as <see cref="BackwardGather"/>; argmax is only compared, never used as an address.
    /// </summary>
    [Kernel]
    public static void BackwardDisjoint(Index3D index, ArrayView<float> dy, ArrayView<int> argmax, ArrayView<float> dx,
        int h, int w, int p, int q, int kh, int kw, int strideH, int strideW, int padH, int padW)
    {
        int cx = index.X;
        int cy = index.Y;
        int plane = index.Z;
        bool window = cy < p && cx < q;
        int o = window ? (plane * p + cy) * q + cx : 0;
        int best = window ? argmax[o] : -1;
        float g = window ? dy[o] : 0f;
        int top = cy * strideH - padH;
        int left = cx * strideW - padW;
        int r1 = Math.Min(top + strideH, h);
        int c1 = Math.Min(left + strideW, w);
        for (int r = Math.Max(top, 0); r < r1; r++)
        {
            for (int c = Math.Max(left, 0); c < c1; c++)
            {
                int i = (plane * h + r) * w + c;
                // Cells cover the window and the gap after it; only the window can hold the argmax.
                dx[i] = i == best ? g : 0f;
            }
        }
    }

    /// <summary>
    /// Variant 1 of the forward: 2×2 windows, stride 2, no padding, h and w even (every window whole) — the pooling of
    /// LeNet-style nets. A lane takes one row of windows (two rows of x) and walks its windows in a loop of four loads
    /// and three selects each, no clipping, which LLVM vectorises reading the rows' pairs as interleaved vectors (with a
    /// lane per window, its two-by-two reads became gathers: 0.38 against ~0.28 ms for (128, 16, 28, 28) on PoCL). Ties
    /// keep the first maximum in row-major window order, as <see cref="Forward"/> does. index = (op, plane); x:
    /// (planes, h, w), y and argmax: (planes, h/2, w/2) row-major.
    /// </summary>
    [Kernel]
    public static void Forward2x2(Index2D index, ArrayView<float> x, ArrayView<float> y, ArrayView<int> argmax, int h, int w)
    {
        int q = w / 2;
        int top = (index.Y * h + 2 * index.X) * w;
        var row0 = x.SubView(top, w);
        var row1 = x.SubView(top + w, w);
        int o0 = (index.Y * (h / 2) + index.X) * q;
        var ys = y.SubView(o0, q);
        var at = argmax.SubView(o0, q);
        for (int oq = 0; oq < q; oq++)
        {
            float v0 = row0[2 * oq];
            float v1 = row0[2 * oq + 1];
            float v2 = row1[2 * oq];
            float v3 = row1[2 * oq + 1];
            float best = v0;
            int where = 0;
            where = v1 > best ? 1 : where;
            best = v1 > best ? v1 : best;
            where = v2 > best ? w : where;
            best = v2 > best ? v2 : best;
            where = v3 > best ? w + 1 : where;
            best = v3 > best ? v3 : best;
            ys[oq] = best;
            at[oq] = top + 2 * oq + where;
        }
    }

    /// <summary>
    /// Variant 2 of the backward: the windows of <see cref="Forward2x2"/>, which tile the input exactly; a lane takes
    /// one row of windows and writes its two rows of dx (dy to each window's argmax, 0 in its other three cells) with
    /// selects, in a loop LLVM vectorises as <see cref="Forward2x2"/>'s. index = (op, plane).
    /// </summary>
    [Kernel]
    public static void Backward2x2(Index2D index, ArrayView<float> dy, ArrayView<int> argmax, ArrayView<float> dx, int h, int w)
    {
        int q = w / 2;
        int top = (index.Y * h + 2 * index.X) * w;
        var row0 = dx.SubView(top, w);
        var row1 = dx.SubView(top + w, w);
        int o0 = (index.Y * (h / 2) + index.X) * q;
        var gs = dy.SubView(o0, q);
        var at = argmax.SubView(o0, q);
        for (int oq = 0; oq < q; oq++)
        {
            int best = at[oq] - top - 2 * oq;
            float g = gs[oq];
            row0[2 * oq] = best == 0 ? g : 0f;
            row0[2 * oq + 1] = best == 1 ? g : 0f;
            row1[2 * oq] = best == w ? g : 0f;
            row1[2 * oq + 1] = best == w + 1 ? g : 0f;
        }
    }
}
