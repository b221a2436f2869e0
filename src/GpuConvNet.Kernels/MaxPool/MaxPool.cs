using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// The geometry of a 2D pooling: input (N, C, H, W), window (KernelH, KernelW), stride and symmetric zero-free
/// padding (padded positions are skipped). Output (N, C, P, Q) with P = (H + 2·PadH − KernelH) / StrideH + 1.
/// </summary>
public readonly record struct Pool2DShape(int N, int C, int H, int W, int KernelH, int KernelW, int StrideH, int StrideW, int PadH = 0, int PadW = 0)
{
    /// <summary>A square window of <paramref name="kernel"/> with stride <paramref name="stride"/> and no padding.</summary>
    public static Pool2DShape Square(int n, int c, int h, int w, int kernel, int stride) => new(n, c, h, w, kernel, kernel, stride, stride);

    /// <summary>Output rows.</summary>
    public int P => (H + 2 * PadH - KernelH) / StrideH + 1;

    /// <summary>2×2 windows, stride 2, no padding, even height and width: windows that tile the input exactly.</summary>
    public bool IsWhole2x2 => KernelH == 2 && KernelW == 2 && StrideH == 2 && StrideW == 2 && PadH == 0 && PadW == 0 && H % 2 == 0 && W % 2 == 0;

    /// <summary>True when no two windows overlap (stride ≥ window both ways): what backward variant 1 needs.</summary>
    public bool IsDisjoint => StrideH >= KernelH && StrideW >= KernelW;

    /// <summary>Output columns.</summary>
    public int Q => (W + 2 * PadW - KernelW) / StrideW + 1;

    /// <summary>N·C·H·W.</summary>
    public long InputLength => (long)N * C * H * W;

    /// <summary>N·C·P·Q.</summary>
    public long OutputLength => (long)N * C * P * Q;

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="op"/> unless the geometry is usable.</summary>
    public void Validate(string op)
    {
        ShapeCheck.Positive(op, ("N", N), ("C", C), ("H", H), ("W", W), ("kernel height", KernelH), ("kernel width", KernelW),
            ("stride height", StrideH), ("stride width", StrideW));
        if (PadH < 0 || PadW < 0 || PadH >= KernelH || PadW >= KernelW)
        {
            // Padding ≥ the window would allow windows made only of padding, which have no maximum.
            throw new ArgumentException($"{op}: padding ({PadH}, {PadW}) must be non-negative and smaller than the window ({KernelH}, {KernelW})");
        }
        if (KernelH > H + 2 * PadH || KernelW > W + 2 * PadW)
        {
            throw new ArgumentException($"{op}: the window ({KernelH}, {KernelW}) is larger than the padded input ({H + 2 * PadH}, {W + 2 * PadW})");
        }
        if (InputLength > int.MaxValue)
        {
            throw new ArgumentException($"{op}: the input has {InputLength} elements; argmax indices are 32-bit");
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"({N}, {C}, {H}, {W}) window ({KernelH}, {KernelW}) stride ({StrideH}, {StrideW}) pad ({PadH}, {PadW}) → ({N}, {C}, {P}, {Q})";
}

/// <summary>Which max-pooling backward kernel to run.</summary>
public enum MaxPoolBackwardVariant
{
    /// <summary>
    /// The fastest that applies to the shape where the engine compiles device code (<see cref="MaxPoolTuning"/>);
    /// elsewhere <see cref="Window2x2"/> where <see cref="Pool2DShape.IsWhole2x2"/>, else <see cref="Disjoint"/> when
    /// stride ≥ window, else <see cref="Gather"/>.
    /// </summary>
    Auto,

    /// <summary>Variant 0: each input sums the dy of every window containing it whose argmax it is (any stride).</summary>
    Gather,

    /// <summary>Variant 1: stride ≥ window only; one lane per stride-sized cell writes the cell, without divisions.</summary>
    Disjoint,

    /// <summary>Variant 2: 2×2 windows, stride 2, no padding, even input (<see cref="MaxPoolKernels.Backward2x2"/>).</summary>
    Window2x2,
}

/// <summary>Which max-pool forward kernel to run.</summary>
public enum MaxPoolForwardVariant
{
    /// <summary>
    /// The faster that applies to the shape where the engine compiles device code (<see cref="MaxPoolTuning"/>);
    /// elsewhere <see cref="Window2x2"/> where <see cref="Pool2DShape.IsWhole2x2"/>, else <see cref="General"/>.
    /// </summary>
    Auto,

    /// <summary>Variant 0: any window, stride and padding (<see cref="MaxPoolKernels.Forward"/>).</summary>
    General,

    /// <summary>Variant 1: 2×2 windows, stride 2, no padding, even input (<see cref="MaxPoolKernels.Forward2x2"/>).</summary>
    Window2x2,
}

/// <summary>2D max pooling, forward (values and argmax) and backward (from the argmax).</summary>
public static class MaxPool
{
    /// <summary>
    /// y = max over each window of x, argmax = the flat index into x of that maximum (first in row-major window order).
    /// x: (N, C, H, W); y, argmax: (N, C, P, Q). Asynchronous like any launch.
    /// </summary>
    public static void Forward(Accelerator accelerator, ArrayView<float> x, ArrayView<float> y, ArrayView<int> argmax, Pool2DShape shape,
        MaxPoolForwardVariant variant = MaxPoolForwardVariant.Auto)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "MaxPool2D";
        shape.Validate(op);
        ShapeCheck.Length(op, "x", x.Length, shape.InputLength, $"x ({shape.N}, {shape.C}, {shape.H}, {shape.W})");
        ShapeCheck.Length(op, "y", y.Length, shape.OutputLength, $"y ({shape.N}, {shape.C}, {shape.P}, {shape.Q})");
        ShapeCheck.Length(op, "argmax", argmax.Length, shape.OutputLength, $"argmax ({shape.N}, {shape.C}, {shape.P}, {shape.Q})");
        if (variant == MaxPoolForwardVariant.Window2x2 && !shape.IsWhole2x2)
        {
            throw new ArgumentException($"{op}: the 2×2 variant needs 2×2 windows, stride 2, no padding and an even input, not {shape}");
        }
        variant = Resolve(accelerator, shape, variant);
        if (variant == MaxPoolForwardVariant.Window2x2)
        {
            accelerator.Launch(MaxPoolKernels.Forward2x2, new Index2D(shape.P, shape.N * shape.C), x, y, argmax, shape.H, shape.W);
            return;
        }
        accelerator.Launch(MaxPoolKernels.Forward, new Index3D(shape.Q, shape.P, shape.N * shape.C), x, y, argmax,
            shape.H, shape.W, shape.P, shape.Q, shape.KernelH, shape.KernelW, shape.StrideH, shape.StrideW, shape.PadH, shape.PadW);
    }

    /// <summary>
    /// dx[i] = Σ dy[o] over the windows o whose argmax is i (overlapping windows add up). dy, argmax: (N, C, P, Q) as
    /// written by <see cref="Forward"/>; dx: (N, C, H, W), fully overwritten (no need to zero it).
    /// </summary>
    public static void Backward(Accelerator accelerator, ArrayView<float> dy, ArrayView<int> argmax, ArrayView<float> dx, Pool2DShape shape,
        MaxPoolBackwardVariant variant = MaxPoolBackwardVariant.Auto)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "MaxPool2D backward";
        shape.Validate(op);
        ShapeCheck.Length(op, "dy", dy.Length, shape.OutputLength, $"dy ({shape.N}, {shape.C}, {shape.P}, {shape.Q})");
        ShapeCheck.Length(op, "argmax", argmax.Length, shape.OutputLength, $"argmax ({shape.N}, {shape.C}, {shape.P}, {shape.Q})");
        ShapeCheck.Length(op, "dx", dx.Length, shape.InputLength, $"dx ({shape.N}, {shape.C}, {shape.H}, {shape.W})");
        bool disjoint = shape.IsDisjoint;
        if (variant == MaxPoolBackwardVariant.Disjoint && !disjoint)
        {
            throw new ArgumentException($"{op}: the disjoint variant needs stride ≥ window, but windows {shape} overlap");
        }
        if (variant == MaxPoolBackwardVariant.Window2x2 && !shape.IsWhole2x2)
        {
            throw new ArgumentException($"{op}: the 2×2 variant needs 2×2 windows, stride 2, no padding and an even input, not {shape}");
        }
        variant = Resolve(accelerator, shape, variant);
        if (variant == MaxPoolBackwardVariant.Window2x2)
        {
            accelerator.Launch(MaxPoolKernels.Backward2x2, new Index2D(shape.P, shape.N * shape.C), dy, argmax, dx, shape.H, shape.W);
        }
        else if (variant == MaxPoolBackwardVariant.Gather || !disjoint)
        {
            accelerator.Launch(MaxPoolKernels.BackwardGather, new Index3D(shape.W, shape.H, shape.N * shape.C), dy, argmax, dx,
                shape.H, shape.W, shape.P, shape.Q, shape.KernelH, shape.KernelW, shape.StrideH, shape.StrideW, shape.PadH, shape.PadW);
        }
        else
        {
            var cells = new Index3D(KernelConfig.GroupsFor(shape.W + shape.PadW, shape.StrideW), KernelConfig.GroupsFor(shape.H + shape.PadH, shape.StrideH),
                shape.N * shape.C);
            accelerator.Launch(MaxPoolKernels.BackwardDisjoint, cells, dy, argmax, dx,
                shape.H, shape.W, shape.P, shape.Q, shape.KernelH, shape.KernelW, shape.StrideH, shape.StrideW, shape.PadH, shape.PadW);
        }
    }

    /// <summary>The forward kernel <paramref name="variant"/> means for <paramref name="shape"/> (see <see cref="MaxPoolForwardVariant.Auto"/>).</summary>
    public static MaxPoolForwardVariant Resolve(Accelerator accelerator, Pool2DShape shape, MaxPoolForwardVariant variant)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        return variant != MaxPoolForwardVariant.Auto ? variant
            : accelerator.Engine.Has(EngineCapabilities.Tunable) ? MaxPoolTuning.FastestForward(accelerator, shape)
            : shape.IsWhole2x2 ? MaxPoolForwardVariant.Window2x2 : MaxPoolForwardVariant.General;
    }

    /// <summary>The backward kernel <paramref name="variant"/> means for <paramref name="shape"/> (see <see cref="MaxPoolBackwardVariant.Auto"/>).</summary>
    public static MaxPoolBackwardVariant Resolve(Accelerator accelerator, Pool2DShape shape, MaxPoolBackwardVariant variant)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        return variant != MaxPoolBackwardVariant.Auto ? variant
            : accelerator.Engine.Has(EngineCapabilities.Tunable) ? MaxPoolTuning.FastestBackward(accelerator, shape)
            : shape.IsWhole2x2 ? MaxPoolBackwardVariant.Window2x2 : shape.IsDisjoint ? MaxPoolBackwardVariant.Disjoint : MaxPoolBackwardVariant.Gather;
    }
}
