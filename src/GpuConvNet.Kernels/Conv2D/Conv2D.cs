using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>Which convolution algorithm to run; <see cref="Auto"/> picks by device (kernels.md says why).</summary>
public enum Conv2DAlgorithm
{
    /// <summary>Per device and pass, as measured: see <see cref="Conv2D.Resolve"/>.</summary>
    Auto,

    /// <summary>Variant 0: one lane per output element.</summary>
    Naive,

    /// <summary>Variant 1: im2col (col2im for backward-data) per image, then <see cref="MatMul.Multiply"/>.</summary>
    Im2ColGemm,

    /// <summary>Variant 2: zero-padded copy of the input, then register-blocked direct kernels (16 output channels per lane).</summary>
    Direct,

    /// <summary>
    /// Variant 3: variant 2 with the stride-1 forward (and so backward-data) kernel taking 8 output channels per lane,
    /// for CPUs with 16 vector registers; <see cref="Conv2DTuning"/> picks 2 or 3 per device.
    /// </summary>
    Direct8,
}

/// <summary>The three passes of a convolution layer.</summary>
public enum Conv2DPass
{
    /// <summary>y from x, weights and bias.</summary>
    Forward,

    /// <summary>dx from dy and weights.</summary>
    BackwardData,

    /// <summary>dW (and db) from x and dy.</summary>
    BackwardWeights,
}

/// <summary>
/// 2D convolution forward and backward in NCHW float32 (shapes in <see cref="Conv2DShape"/>). Every call validates
/// its shape and view lengths first (ArgumentException naming the op and the mismatch), then queues its launches
/// (asynchronous like any launch), taking scratch memory from a caller-owned <see cref="Conv2DWorkspace"/>.
/// </summary>
public static class Conv2D
{
    /// <summary>Lanes <see cref="Conv2DKernels.BackwardWeightsDirect"/> aims for before it stops splitting the batch.</summary>
    private const int WeightGradientLanes = 4096;

    /// <summary>
    /// y = conv(x, weights) [+ bias] [ReLU]. x: (N, C, H, W); weights: (K, C, R, S); bias: (K) or an empty view;
    /// y: (N, K, P, Q).
    /// </summary>
    public static void Forward(Accelerator accelerator, Conv2DShape shape, ArrayView<float> x, ArrayView<float> weights, ArrayView<float> bias,
        ArrayView<float> y, Conv2DWorkspace workspace, bool relu = false, Conv2DAlgorithm algorithm = Conv2DAlgorithm.Auto)
    {
        const string op = "Conv2D.Forward";
        Check(op, accelerator, workspace, shape);
        CheckLength(op, "x", x, shape.XLength, $"x (N, C, H, W) = ({shape.N}, {shape.C}, {shape.H}, {shape.W})");
        CheckLength(op, "weights", weights, shape.WeightsLength, WeightsShape(shape));
        if (!bias.IsEmpty)
        {
            CheckLength(op, "bias", bias, shape.K, $"a bias over K = {shape.K} channels");
        }
        CheckLength(op, "y", y, shape.YLength, $"y (N, K, P, Q) = ({shape.N}, {shape.K}, {shape.P}, {shape.Q})");
        int epilogue = bias.IsEmpty
            ? relu ? Conv2DKernels.EpilogueRelu : Conv2DKernels.EpilogueNone
            : relu ? Conv2DKernels.EpilogueBiasRelu : Conv2DKernels.EpilogueBias;
        algorithm = Resolve(accelerator, shape, Conv2DPass.Forward, algorithm);
        var scratch = workspace.Acquire(WorkspaceLength(shape, Conv2DPass.Forward, algorithm), op);
        workspace.ForgetPadded();
        var (n, c, h, w, k, r, s, stride, pad) = shape;
        switch (algorithm)
        {
            case Conv2DAlgorithm.Naive:
                accelerator.Launch(Conv2DKernels.ForwardNaive, new Index1D(shape.YLength), x, weights, bias, y, c, h, w, k, r, s, stride, pad, epilogue);
                break;
            case Conv2DAlgorithm.Im2ColGemm:
            {
                int image = c * h * w;
                int plane = shape.P * shape.Q;
                int taps = c * r * s;
                for (int i = 0; i < n; i++)
                {
                    accelerator.Launch(Conv2DKernels.Im2Col, new Index2D(plane, taps), x.SubView(i * image, image), scratch, h, w, r, s, stride, pad, shape.P, shape.Q);
                    MatMul.Multiply(accelerator, weights, Transpose.No, scratch, Transpose.No, y.SubView(i * k * plane, k * plane), k, plane, taps);
                }
                if (epilogue != Conv2DKernels.EpilogueNone)
                {
                    // The GEMM's fused bias is per column; here the channel is the row, so bias and ReLU take one pass.
                    accelerator.Launch(Conv2DKernels.BiasActivation, new Index1D(shape.YLength), y, bias, k, plane, epilogue);
                }
                break;
            }
            default:
            {
                var geometry = DirectGeometry.ForForward(shape);
                var xPad = scratch.SubView(0, (int)geometry.PaddedLength);
                var packed = scratch.SubView((int)geometry.PaddedLength, c * r * s * Conv2DKernels.PackedPitch(k));
                geometry.LaunchPad(accelerator, x, xPad);
                workspace.RecordPadded(shape, x);
                accelerator.Launch(Conv2DKernels.PackWeights, new Index1D(packed.Length), weights, packed, c, k, r, s, 0);
                LaunchForwardDirect(accelerator, geometry, xPad, packed, bias, y, k, epilogue, algorithm);
                break;
            }
        }
    }

    /// <summary>dx = ∂L/∂x from dy = ∂L/∂y. dy: (N, K, P, Q); weights: (K, C, R, S); dx: (N, C, H, W), overwritten.</summary>
    public static void BackwardData(Accelerator accelerator, Conv2DShape shape, ArrayView<float> dy, ArrayView<float> weights, ArrayView<float> dx,
        Conv2DWorkspace workspace, Conv2DAlgorithm algorithm = Conv2DAlgorithm.Auto)
    {
        const string op = "Conv2D.BackwardData";
        Check(op, accelerator, workspace, shape);
        CheckLength(op, "dy", dy, shape.YLength, $"dy (N, K, P, Q) = ({shape.N}, {shape.K}, {shape.P}, {shape.Q})");
        CheckLength(op, "weights", weights, shape.WeightsLength, WeightsShape(shape));
        CheckLength(op, "dx", dx, shape.XLength, $"dx (N, C, H, W) = ({shape.N}, {shape.C}, {shape.H}, {shape.W})");
        algorithm = Resolve(accelerator, shape, Conv2DPass.BackwardData, algorithm);
        var scratch = workspace.Acquire(WorkspaceLength(shape, Conv2DPass.BackwardData, algorithm), op);
        workspace.ForgetPadded();
        var (n, c, h, w, k, r, s, stride, pad) = shape;
        switch (algorithm)
        {
            case Conv2DAlgorithm.Naive:
                accelerator.Launch(Conv2DKernels.BackwardDataNaive, new Index1D(shape.XLength), dy, weights, dx, c, h, w, k, r, s, stride, pad);
                break;
            case Conv2DAlgorithm.Im2ColGemm:
            {
                int image = c * h * w;
                int plane = shape.P * shape.Q;
                int taps = c * r * s;
                for (int i = 0; i < n; i++)
                {
                    // dcol (C·R·S, P·Q) = weightsᵀ · dy[i], then each dx pixel gathers its column entries.
                    MatMul.Multiply(accelerator, weights, Transpose.Yes, dy.SubView(i * k * plane, k * plane), Transpose.No, scratch, taps, plane, k);
                    accelerator.Launch(Conv2DKernels.Col2Im, new Index1D(image), scratch, dx.SubView(i * image, image), h, w, r, s, stride, pad, shape.P, shape.Q);
                }
                break;
            }
            default:
            {
                // dx is the stride-1 correlation of dy — dilated by the stride and padded by R − 1 − pad — with the
                // filters flipped and their channel axes swapped.
                var geometry = DirectGeometry.ForBackwardData(shape);
                var dyPad = scratch.SubView(0, (int)geometry.PaddedLength);
                var flipped = scratch.SubView((int)geometry.PaddedLength, k * r * s * Conv2DKernels.PackedPitch(c));
                geometry.LaunchPad(accelerator, dy, dyPad);
                accelerator.Launch(Conv2DKernels.PackWeights, new Index1D(flipped.Length), weights, flipped, c, k, r, s, 1);
                LaunchForwardDirect(accelerator, geometry, dyPad, flipped, default, dx, c, Conv2DKernels.EpilogueNone, algorithm);
                break;
            }
        }
    }

    /// <summary>
    /// dW = ∂L/∂weights summed over the batch, and db = ∂L/∂bias = Σ over n, p, q of dy when <paramref name="dBias"/>
    /// is not empty. x: (N, C, H, W); dy: (N, K, P, Q); dWeights: (K, C, R, S), overwritten; dBias: (K) or empty.
    /// With <paramref name="xUnchangedSinceForward"/> the caller promises that x (the same view) holds what the last
    /// <see cref="Forward"/> with this workspace read: the direct algorithm then reuses the padded copy of x that forward
    /// left in the workspace, when nothing has been written over it since (a layer's backward right after its forward),
    /// instead of padding x again.
    /// </summary>
    public static void BackwardWeights(Accelerator accelerator, Conv2DShape shape, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dWeights,
        ArrayView<float> dBias, Conv2DWorkspace workspace, Conv2DAlgorithm algorithm = Conv2DAlgorithm.Auto, bool xUnchangedSinceForward = false)
    {
        const string op = "Conv2D.BackwardWeights";
        Check(op, accelerator, workspace, shape);
        CheckLength(op, "x", x, shape.XLength, $"x (N, C, H, W) = ({shape.N}, {shape.C}, {shape.H}, {shape.W})");
        CheckLength(op, "dy", dy, shape.YLength, $"dy (N, K, P, Q) = ({shape.N}, {shape.K}, {shape.P}, {shape.Q})");
        CheckLength(op, "dWeights", dWeights, shape.WeightsLength, WeightsShape(shape));
        if (!dBias.IsEmpty)
        {
            CheckLength(op, "dBias", dBias, shape.K, $"a bias over K = {shape.K} channels");
        }
        algorithm = Resolve(accelerator, shape, Conv2DPass.BackwardWeights, algorithm);
        var scratch = workspace.Acquire(WorkspaceLength(shape, Conv2DPass.BackwardWeights, algorithm), op);
        bool padded = xUnchangedSinceForward && workspace.HoldsPadded(shape, x);
        workspace.ForgetPadded();
        var (n, c, h, w, k, r, s, stride, pad) = shape;
        int plane = shape.P * shape.Q;
        switch (algorithm)
        {
            case Conv2DAlgorithm.Naive:
                accelerator.Launch(Conv2DKernels.BackwardWeightsNaive, new Index1D(shape.WeightsLength), x, dy, dWeights, n, c, h, w, k, r, s, stride, pad);
                break;
            case Conv2DAlgorithm.Im2ColGemm:
            {
                int image = c * h * w;
                int taps = c * r * s;
                var col = scratch.SubView(0, taps * plane);
                var perImage = scratch.SubView(taps * plane, shape.WeightsLength);
                for (int i = 0; i < n; i++)
                {
                    // dW += dy[i] (K, P·Q) · col[i]ᵀ (P·Q, C·R·S); the first image writes dW, the others add into it.
                    accelerator.Launch(Conv2DKernels.Im2Col, new Index2D(plane, taps), x.SubView(i * image, image), col, h, w, r, s, stride, pad, shape.P, shape.Q);
                    MatMul.Multiply(accelerator, dy.SubView(i * k * plane, k * plane), Transpose.No, col, Transpose.Yes, i == 0 ? dWeights : perImage, k, taps, plane);
                    if (i > 0)
                    {
                        accelerator.Launch(Conv2DKernels.Accumulate, new Index1D(shape.WeightsLength), dWeights, perImage);
                    }
                }
                break;
            }
            default:
            {
                var geometry = DirectGeometry.ForForward(shape);
                var (chunks, imagesPerChunk) = WeightGradientChunks(shape);
                var xPad = scratch.SubView(0, (int)geometry.PaddedLength);
                var dyT = scratch.SubView((int)geometry.PaddedLength, n * plane * Conv2DKernels.PackedPitch(k));
                var partial = chunks == 1 ? dWeights : scratch.SubView((int)geometry.PaddedLength + dyT.Length, chunks * shape.WeightsLength);
                if (!padded)
                {
                    geometry.LaunchPad(accelerator, x, xPad);
                }
                workspace.RecordPadded(shape, x);
                accelerator.Launch(Conv2DKernels.TransposeGradient, new Index2D(plane, n), dy, dyT, k, plane);
                var extent = new Index3D(KernelConfig.GroupsFor(WeightGradientPieces(shape), Conv2DKernels.GradPieceBlock),
                    KernelConfig.GroupsFor(k, Conv2DKernels.ChannelBlock), chunks);
                accelerator.Launch(Conv2DKernels.BackwardWeightsDirect, extent, xPad, dyT, partial,
                    c, geometry.Plane, geometry.Width, r, s, stride, k, shape.P, shape.Q, imagesPerChunk);
                if (chunks > 1)
                {
                    accelerator.Launch(Conv2DKernels.SumPartials, new Index1D(KernelConfig.GroupsFor(shape.WeightsLength, Conv2DKernels.PixelBlock)),
                        partial, dWeights, chunks, shape.WeightsLength);
                }
                break;
            }
        }
        if (!dBias.IsEmpty)
        {
            BiasGradient.SumOverBatchAndSpace(accelerator, dy, dBias, n, k, plane);
        }
    }

    /// <summary>Elements of workspace that <paramref name="pass"/> of <paramref name="shape"/> uses with <paramref name="algorithm"/> (resolved, not Auto).</summary>
    public static long WorkspaceLength(Conv2DShape shape, Conv2DPass pass, Conv2DAlgorithm algorithm)
    {
        long taps = (long)shape.C * shape.R * shape.S;
        long plane = (long)shape.P * shape.Q;
        switch (algorithm)
        {
            case Conv2DAlgorithm.Naive:
                return 0;
            case Conv2DAlgorithm.Im2ColGemm:
                return pass == Conv2DPass.BackwardWeights ? taps * plane + shape.WeightsLength : taps * plane;
            case Conv2DAlgorithm.Direct or Conv2DAlgorithm.Direct8:
                if (pass == Conv2DPass.Forward)
                {
                    return DirectGeometry.ForForward(shape).PaddedLength + taps * Conv2DKernels.PackedPitch(shape.K);
                }
                if (pass == Conv2DPass.BackwardData)
                {
                    return DirectGeometry.ForBackwardData(shape).PaddedLength + (long)shape.K * shape.R * shape.S * Conv2DKernels.PackedPitch(shape.C);
                }
                var geometry = DirectGeometry.ForForward(shape);
                var (chunks, _) = WeightGradientChunks(shape);
                long dyT = (long)shape.N * shape.P * shape.Q * Conv2DKernels.PackedPitch(shape.K);
                return geometry.PaddedLength + dyT + (chunks == 1 ? 0 : (long)chunks * shape.WeightsLength);
            default:
                throw new ArgumentException($"Conv2D: resolve {algorithm} to a concrete algorithm first", nameof(algorithm));
        }
    }

    /// <summary>
    /// The algorithm <see cref="Conv2DAlgorithm.Auto"/> stands for on <paramref name="accelerator"/> for
    /// <paramref name="pass"/> of <paramref name="shape"/> (other values are returned as given). Measured on the CPU
    /// accelerator and on PoCL (kernels.md): direct wins every pass at the model shapes (PoCL: 6–25 times faster),
    /// except backward-data into few input channels. The direct kernel computes 16 dx channels per lane, so with C = 1
    /// it does 16 times the useful work: im2col + GEMM is then faster on PoCL when K ≥ 16 (C = 1, K = 32: 22 vs 26 ms at
    /// batch 256; with K = 6 its 2 launches per image cost more than the waste), and on the CPU accelerator, where
    /// launches are cheap, whenever C &lt; 8 (C = 6, K = 16: 55 vs 128 ms at batch 64). On GPUs (not measured here)
    /// im2col feeds the shared-memory tiled GEMM: the direct kernels keep 256 accumulators per lane, more registers
    /// than a GPU thread has. Where direct is the answer on an OpenCL CPU device, <see cref="Conv2DTuning"/> says whether
    /// its 16- or 8-channel forward kernel (variant 2 or 3) is faster there.
    /// </summary>
    public static Conv2DAlgorithm Resolve(Accelerator accelerator, Conv2DShape shape, Conv2DPass pass, Conv2DAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        if (algorithm != Conv2DAlgorithm.Auto)
        {
            return algorithm;
        }
        if (accelerator.Device.Type == DeviceType.Gpu)
        {
            return Conv2DAlgorithm.Im2ColGemm;
        }
        bool fewChannels = accelerator.Engine.Has(EngineCapabilities.ManagedLanes) ? shape.C < 8 : shape.C <= 4 && shape.K >= 16;
        if (pass == Conv2DPass.BackwardData && fewChannels)
        {
            return Conv2DAlgorithm.Im2ColGemm;
        }
        // The engines that check kernels (the CPU accelerator, ILGPU's, Oclgrind) gain nothing from a tuning run that
        // would take them seconds; a compiled CPU device (PoCL) is where the register file decides.
        return accelerator.Engine.Has(EngineCapabilities.Tunable) ? Conv2DTuning.Fastest(accelerator) : Conv2DAlgorithm.Direct;
    }

    /// <summary>How <see cref="Conv2DKernels.BackwardWeightsDirect"/> splits the batch: enough chunks for ~4096 lanes.</summary>
    private static (int Chunks, int ImagesPerChunk) WeightGradientChunks(Conv2DShape shape)
    {
        long lanesPerChunk = (long)KernelConfig.GroupsFor(WeightGradientPieces(shape), Conv2DKernels.GradPieceBlock)
            * KernelConfig.GroupsFor(shape.K, Conv2DKernels.ChannelBlock);
        int wanted = (int)Math.Clamp((WeightGradientLanes + lanesPerChunk - 1) / lanesPerChunk, 1, shape.N);
        // Whole chunks only (a divisor of N), so that every lane's image loop has the same trip count.
        int chunks = wanted;
        while (shape.N % chunks != 0)
        {
            chunks++;
        }
        return (chunks, shape.N / chunks);
    }

    /// <summary>Filter-row pieces of <see cref="Conv2DKernels.BackwardWeightsDirect"/>: C·R·⌈S / 4⌉.</summary>
    private static int WeightGradientPieces(Conv2DShape shape) =>
        shape.C * shape.R * KernelConfig.GroupsFor(shape.S, Conv2DKernels.GradPieceWidth);

    private static void LaunchForwardDirect(Accelerator accelerator, DirectGeometry geometry, ArrayView<float> input, ArrayView<float> packed,
        ArrayView<float> bias, ArrayView<float> output, int outChannels, int epilogue, Conv2DAlgorithm algorithm)
    {
        int channelBlock = algorithm == Conv2DAlgorithm.Direct8 ? Conv2DKernels.ChannelBlock8 : Conv2DKernels.ChannelBlock;
        var extent = new Index3D(geometry.OutHeight * geometry.BlocksPerRow, KernelConfig.GroupsFor(outChannels, channelBlock), geometry.Batch);
        accelerator.Launch(Conv2DKernels.ForwardDirect, extent, input, packed, bias, output, geometry.Plane, geometry.Width,
            geometry.KernelHeight, geometry.KernelWidth, outChannels, geometry.OutHeight, geometry.OutWidth, epilogue,
            SpecializedValue.New(channelBlock), SpecializedValue.New(geometry.Stride));
    }

    private static void Check(string op, Accelerator accelerator, Conv2DWorkspace workspace, Conv2DShape shape)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(workspace);
        if (workspace.Accelerator != accelerator)
        {
            throw new ArgumentException($"{op}: the workspace belongs to {workspace.Accelerator.Device.Id}, the launch is on {accelerator.Device.Id}");
        }
        shape.Validate(op);
    }

    private static void CheckLength(string op, string name, ArrayView<float> view, int expected, string what) =>
        ShapeCheck.Length(op, name, view.Length, expected, what);

    private static string WeightsShape(Conv2DShape shape) => $"weights (K, C, R, S) = ({shape.K}, {shape.C}, {shape.R}, {shape.S})";

    /// <summary>
    /// The padded input of a direct kernel and the pixel numbering over it: input planes (Batch × Channels of them,
    /// InHeight × InWidth) are copied, dilated and offset into Height × Width planes; output pixel (p, q) is t = p·Width + q.
    /// </summary>
    private readonly record struct DirectGeometry(int Batch, int Planes, int InHeight, int InWidth, int Height, int Width, int Top, int Left, int Dilation,
        int KernelHeight, int KernelWidth, int Stride, int OutHeight, int OutWidth)
    {
        public static DirectGeometry ForForward(Conv2DShape shape) =>
            new(shape.N, shape.N * shape.C, shape.H, shape.W, shape.H + 2 * shape.Padding, shape.W + 2 * shape.Padding, shape.Padding, shape.Padding, 1,
                shape.R, shape.S, shape.Stride, shape.P, shape.Q);

        // Height = H + R − 1 rows make the stride-1 output exactly H tall, whatever rows the forward's stride dropped.
        public static DirectGeometry ForBackwardData(Conv2DShape shape) =>
            new(shape.N, shape.N * shape.K, shape.P, shape.Q, shape.H + shape.R - 1, shape.W + shape.S - 1,
                shape.R - 1 - shape.Padding, shape.S - 1 - shape.Padding, shape.Stride, shape.R, shape.S, 1, shape.H, shape.W);

        public int Plane => Height * Width;

        /// <summary>Blocks of 16 output pixels per output row of <see cref="Conv2DKernels.ForwardDirect"/>.</summary>
        public int BlocksPerRow => (OutWidth + Conv2DKernels.PixelBlock - 1) / Conv2DKernels.PixelBlock;

        /// <summary>Pixels t = p·Width + q the forward kernel computes, valid or not: up to the end of the last row's last block.</summary>
        public int PixelLength => (OutHeight - 1) * Width + BlocksPerRow * Conv2DKernels.PixelBlock;

        /// <summary>
        /// Planes plus the zero slack read past the last plane: by the forward kernel's last block (tap (R−1, S−1) of
        /// pixel PixelLength − 1 is at Stride·(PixelLength − 1) + (R − 1)·Width + S − 1 from the plane's start), and by
        /// the backward-weights kernel's last filter-row piece (at most 3 floats past the plane).
        /// </summary>
        public long PaddedLength => (long)Planes * Plane
            + Math.Max(Conv2DKernels.GradPieceWidth - 1, Stride * (PixelLength - 1) + (KernelHeight - 1) * Width + KernelWidth - Plane);

        public void LaunchPad(Accelerator accelerator, ArrayView<float> input, ArrayView<float> padded) =>
            accelerator.Launch(Conv2DKernels.PadDilate, new Index1D(Planes * Height + 1), input, padded, Planes, InHeight, InWidth, Height, Width, Top, Left, Dilation);
    }
}
