using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// 2D convolution (cross-correlation, as in every framework) in NCHW float32: x (N, C, H, W), weights (K, C, R, S),
/// bias (K), y (N, K, P, Q) with P = (H + 2·pad − R) / stride + 1 and Q = (W + 2·pad − S) / stride + 1.
/// y[n, k, p, q] = Σ_c Σ_r Σ_s x[n, c, p·stride + r − pad, q·stride + s − pad] · weights[k, c, r, s] (+ bias[k]), zero
/// outside x. Variants (kernels.md):
/// 0 naive (<see cref="ForwardNaive"/>, <see cref="BackwardDataNaive"/>, <see cref="BackwardWeightsNaive"/>): one lane
/// per output element, every tap bounds-checked;
/// 1 im2col + GEMM (<see cref="Im2Col"/> and <see cref="Col2Im"/> per image, with <c>MatMul.Multiply</c>);
/// 2 direct: the input is first copied with its zero border (<see cref="PadDilate"/>) and the filters packed
/// (<see cref="PackWeights"/>), so the hot loops have no bounds checks and every operand is a block of consecutive
/// floats: <see cref="ForwardDirect"/> (16 pixels × 16 channels per lane, or × 8 for variant 3; the channel block and
/// the stride are <see cref="SpecializedValue{T}"/>s, compiled in), backward-data as the same forward kernel on the zero-dilated, padded dy with the flipped filters, and
/// <see cref="BackwardWeightsDirect"/> (16 channels × 16 taps per lane, on a transposed dy).
/// Code shape matters on PoCL, which compiles each lane as scalar code that LLVM then vectorises across the lane's own
/// block (SLP), not across lanes: blocks read through views that start at the block (constant offsets) become vector
/// loads, a test of the stride inside the hot loop or a lane's final left-to-right sum keeps everything scalar.
/// Every kernel returns at once in lanes past its work. Launches pass their true extents: the OpenCL engine keeps one
/// group shape per kernel on CPU devices (PoCL compiles once per group shape) and rounds the grid up itself.
/// </summary>
public static partial class Conv2DKernels
{
    /// <summary>Consecutive output pixels (in padded row-major order) per lane of the direct kernels: one 16-float vector.</summary>
    public const int PixelBlock = 16;

    /// <summary>Output channels per lane of <see cref="ForwardDirect"/>'s variant 2 and of <see cref="BackwardWeightsDirect"/>.</summary>
    public const int ChannelBlock = 16;

    /// <summary>Output channels per lane of <see cref="ForwardDirect"/>'s variant 3.</summary>
    public const int ChannelBlock8 = 8;

    /// <summary>Consecutive filter taps (s, s+1, …) of one filter row per piece of <see cref="BackwardWeightsDirect"/>.</summary>
    public const int GradPieceWidth = 4;

    /// <summary>Filter-row pieces per lane of <see cref="BackwardWeightsDirect"/>.</summary>
    public const int GradPieceBlock = 4;

    /// <summary>No epilogue.</summary>
    public const int EpilogueNone = 0;

    /// <summary>Add bias[k].</summary>
    public const int EpilogueBias = 1;

    /// <summary>Add bias[k], then ReLU.</summary>
    public const int EpilogueBiasRelu = 2;

    /// <summary>ReLU without a bias.</summary>
    public const int EpilogueRelu = 3;

    /// <summary>Bias and activation of output channel <paramref name="channel"/>, applied as y is written.</summary>
    [KernelFunction]
    public static float Epilogue(float value, ArrayView<float> bias, int channel, int epilogue)
    {
        float result = epilogue == EpilogueBias || epilogue == EpilogueBiasRelu ? value + bias[channel] : value;
        return epilogue >= EpilogueBiasRelu ? MathF.Max(result, 0f) : result;
    }

    /// <summary>Row length of the packed weights of <see cref="PackWeights"/>: output channels rounded up to whole blocks.</summary>
    [KernelFunction]
    public static int PackedPitch(int outChannels) => (outChannels + ChannelBlock - 1) / ChannelBlock * ChannelBlock;

    // ---------------------------------------------------------------- variant 0: naive

    /// <summary>
    /// Variant 0 forward: one lane per element of y (N, K, P, Q), index = its row-major position; every tap is
    /// bounds-checked against the unpadded x. bias: (K), read when the epilogue asks for it.
    /// </summary>
    [Kernel]
    public static void ForwardNaive(Index1D index, ArrayView<float> x, ArrayView<float> weights, ArrayView<float> bias, ArrayView<float> y,
        int channels, int height, int width, int outChannels, int kernelHeight, int kernelWidth, int stride, int padding, int epilogue)
    {
        int outHeight = (height + 2 * padding - kernelHeight) / stride + 1;
        int outWidth = (width + 2 * padding - kernelWidth) / stride + 1;
        int i = index;
        if (i >= y.Length)
        {
            return;
        }
        int q = i % outWidth;
        int p = i / outWidth % outHeight;
        int k = i / (outWidth * outHeight) % outChannels;
        int n = i / (outWidth * outHeight * outChannels);
        float sum = 0f;
        for (int c = 0; c < channels; c++)
        {
            for (int r = 0; r < kernelHeight; r++)
            {
                int h = p * stride + r - padding;
                for (int s = 0; s < kernelWidth; s++)
                {
                    int w = q * stride + s - padding;
                    if (h >= 0 && h < height && w >= 0 && w < width)
                    {
                        sum += x[((n * channels + c) * height + h) * width + w] * weights[((k * channels + c) * kernelHeight + r) * kernelWidth + s];
                    }
                }
            }
        }
        y[i] = Epilogue(sum, bias, k, epilogue);
    }

    /// <summary>
    /// Variant 0 backward-data: one lane per element of dx (N, C, H, W), gathering every (k, r, s) whose output
    /// position p = (h + pad − r) / stride (and likewise q) is whole and inside dy (N, K, P, Q).
    /// </summary>
    [Kernel]
    public static void BackwardDataNaive(Index1D index, ArrayView<float> dy, ArrayView<float> weights, ArrayView<float> dx,
        int channels, int height, int width, int outChannels, int kernelHeight, int kernelWidth, int stride, int padding)
    {
        int outHeight = (height + 2 * padding - kernelHeight) / stride + 1;
        int outWidth = (width + 2 * padding - kernelWidth) / stride + 1;
        int i = index;
        if (i >= dx.Length)
        {
            return;
        }
        int w = i % width;
        int h = i / width % height;
        int c = i / (width * height) % channels;
        int n = i / (width * height * channels);
        float sum = 0f;
        for (int k = 0; k < outChannels; k++)
        {
            for (int r = 0; r < kernelHeight; r++)
            {
                int ph = h + padding - r;
                // Negative ph is tested first: C's % keeps the sign, so -1 % 2 is -1, not 1.
                if (ph < 0 || ph % stride != 0 || ph / stride >= outHeight)
                {
                    continue;
                }
                int p = ph / stride;
                for (int s = 0; s < kernelWidth; s++)
                {
                    int qw = w + padding - s;
                    if (qw >= 0 && qw % stride == 0 && qw / stride < outWidth)
                    {
                        sum += dy[((n * outChannels + k) * outHeight + p) * outWidth + qw / stride]
                            * weights[((k * channels + c) * kernelHeight + r) * kernelWidth + s];
                    }
                }
            }
        }
        dx[i] = sum;
    }

    /// <summary>
    /// Variant 0 backward-weights: one lane per element of dW (K, C, R, S), summing x·dy over the batch and every
    /// output position.
    /// </summary>
    [Kernel]
    public static void BackwardWeightsNaive(Index1D index, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dWeights,
        int batch, int channels, int height, int width, int outChannels, int kernelHeight, int kernelWidth, int stride, int padding)
    {
        int outHeight = (height + 2 * padding - kernelHeight) / stride + 1;
        int outWidth = (width + 2 * padding - kernelWidth) / stride + 1;
        int i = index;
        if (i >= dWeights.Length)
        {
            return;
        }
        int s = i % kernelWidth;
        int r = i / kernelWidth % kernelHeight;
        int c = i / (kernelWidth * kernelHeight) % channels;
        int k = i / (kernelWidth * kernelHeight * channels);
        float sum = 0f;
        for (int n = 0; n < batch; n++)
        {
            for (int p = 0; p < outHeight; p++)
            {
                int h = p * stride + r - padding;
                if (h < 0 || h >= height)
                {
                    continue;
                }
                for (int q = 0; q < outWidth; q++)
                {
                    int w = q * stride + s - padding;
                    if (w >= 0 && w < width)
                    {
                        sum += x[((n * channels + c) * height + h) * width + w] * dy[((n * outChannels + k) * outHeight + p) * outWidth + q];
                    }
                }
            }
        }
        dWeights[i] = sum;
    }

    // ---------------------------------------------------------------- variant 1: im2col + GEMM

    /// <summary>
    /// Variant 1: the column matrix of one image, col (C·R·S, P·Q) row-major, col[(c·R + r)·S + s, p·Q + q] =
    /// x[c, p·stride + r − pad, q·stride + s − pad] (0 outside). x: one image (C, H, W). index = (p·Q + q, row of col).
    /// </summary>
    [Kernel]
    public static void Im2Col(Index2D index, ArrayView<float> x, ArrayView<float> col,
        int height, int width, int kernelHeight, int kernelWidth, int stride, int padding, int outHeight, int outWidth)
    {
        int pq = index.X;
        int row = index.Y;
        if (pq >= outHeight * outWidth || (row + 1) * outHeight * outWidth > col.Length)
        {
            return;
        }
        int q = pq % outWidth;
        int p = pq / outWidth;
        int s = row % kernelWidth;
        int r = row / kernelWidth % kernelHeight;
        int c = row / (kernelWidth * kernelHeight);
        int h = p * stride + r - padding;
        int w = q * stride + s - padding;
        col[row * outHeight * outWidth + pq] = h >= 0 && h < height && w >= 0 && w < width ? x[(c * height + h) * width + w] : 0f;
    }

    /// <summary>
    /// Variant 1 backward-data: dx of one image (C, H, W) from the gradient of its column matrix, dcol (C·R·S, P·Q),
    /// gathered (no atomics: each lane sums the column entries that <see cref="Im2Col"/> copied its pixel into).
    /// index = position in dx.
    /// </summary>
    [Kernel]
    public static void Col2Im(Index1D index, ArrayView<float> dcol, ArrayView<float> dx,
        int height, int width, int kernelHeight, int kernelWidth, int stride, int padding, int outHeight, int outWidth)
    {
        int i = index;
        if (i >= dx.Length)
        {
            return;
        }
        int w = i % width;
        int h = i / width % height;
        int c = i / (width * height);
        float sum = 0f;
        for (int r = 0; r < kernelHeight; r++)
        {
            int ph = h + padding - r;
            if (ph < 0 || ph % stride != 0 || ph / stride >= outHeight)
            {
                continue;
            }
            for (int s = 0; s < kernelWidth; s++)
            {
                int qw = w + padding - s;
                if (qw >= 0 && qw % stride == 0 && qw / stride < outWidth)
                {
                    sum += dcol[((c * kernelHeight + r) * kernelWidth + s) * outHeight * outWidth + ph / stride * outWidth + qw / stride];
                }
            }
        }
        dx[i] = sum;
    }

    /// <summary>
    /// Variant 1 epilogue pass: y (N, K, planeLength) in place, y ← epilogue(y) with bias[k] (the GEMM's bias is per
    /// column, and here the channel is the GEMM row).
    /// </summary>
    [Kernel]
    public static void BiasActivation(Index1D index, ArrayView<float> y, ArrayView<float> bias, int outChannels, int planeLength, int epilogue)
    {
        int i = index;
        if (i >= y.Length)
        {
            return;
        }
        y[i] = Epilogue(y[i], bias, i / planeLength % outChannels, epilogue);
    }

    /// <summary>target[i] += addend[i] (sums per-image weight gradients of variant 1).</summary>
    [Kernel]
    public static void Accumulate(Index1D index, ArrayView<float> target, ArrayView<float> addend)
    {
        int i = index;
        if (i >= target.Length)
        {
            return;
        }
        target[i] += addend[i];
    }

    // ---------------------------------------------------------------- variant 2: direct

    /// <summary>
    /// Copies planes (planes, inHeight, inWidth) into output as planes (planes, outHeight, outWidth), element (i, j)
    /// of a plane taking input ((i − top) / dilation, (j − left) / dilation) when both are whole and inside, else 0;
    /// output elements past planes·outHeight·outWidth (the slack the direct kernels over-read) are zeroed.
    /// dilation 1 and top = left = pad gives the zero-padded x; dilation = stride and top = R − 1 − pad (negative:
    /// cropped) gives the dy that backward-data convolves. One lane per output row (index = plane·outHeight + i), and
    /// one more for the slack: a lane per element spent most of its time in integer divisions (PoCL: 50 ms for the
    /// 29 MB padded x of a batch of 256, as long as the convolution itself).
    /// </summary>
    [Kernel]
    public static void PadDilate(Index1D index, ArrayView<float> input, ArrayView<float> output,
        int planes, int inHeight, int inWidth, int outHeight, int outWidth, int top, int left, int dilation)
    {
        int row = index;
        int rows = planes * outHeight;
        if (row > rows)
        {
            return;
        }
        if (row >= rows)
        {
            for (int o = rows * outWidth; o < output.Length; o++)
            {
                output[o] = 0f;
            }
            return;
        }
        var line = output.SubView(row * outWidth, outWidth);
        for (int j = 0; j < outWidth; j++)
        {
            line[j] = 0f;
        }
        int plane = row / outHeight;
        int di = row - plane * outHeight - top;
        if (di >= 0 && di % dilation == 0 && di / dilation < inHeight)
        {
            var source = input.SubView((plane * inHeight + di / dilation) * inWidth, inWidth);
            // Input columns w whose output column left + w·dilation lies in [0, outWidth).
            int first = left >= 0 ? 0 : (dilation - 1 - left) / dilation;
            int limit = outWidth - 1 - left;
            int last = limit < 0 ? 0 : Math.Min(inWidth, limit / dilation + 1);
            for (int w = first; w < last; w++)
            {
                line[left + w * dilation] = source[w];
            }
        }
    }

    /// <summary>
    /// Packs the filters for the direct kernels as packed (taps, outPitch = <see cref="PackedPitch"/>(output channels)): row tap = (i·R + r)·S + s of input channel i
    /// holds the weights of output channels 0…outPitch−1 side by side (zeros past the last channel), so that a lane's
    /// block of output channels reads consecutive floats. flip 0: forward, input channels C, output channels K,
    /// packed[(c·R + r)·S + s, k] = weights[k, c, r, s]. flip 1: backward-data, input channels K, output channels C,
    /// packed[(k·R + r)·S + s, c] = weights[k, c, R − 1 − r, S − 1 − s] (the flipped filter). weights: (K, C, R, S).
    /// index = position in packed.
    /// </summary>
    [Kernel]
    public static void PackWeights(Index1D index, ArrayView<float> weights, ArrayView<float> packed,
        int channels, int outChannels, int kernelHeight, int kernelWidth, int flip)
    {
        int outPitch = PackedPitch(flip == 0 ? outChannels : channels);
        int i = index;
        if (i >= packed.Length)
        {
            return;
        }
        int o = i % outPitch;
        int tap = i / outPitch;
        int s = tap % kernelWidth;
        int r = tap / kernelWidth % kernelHeight;
        int input = tap / (kernelWidth * kernelHeight);
        float value = 0f;
        if (flip == 0 && o < outChannels)
        {
            value = weights[((o * channels + input) * kernelHeight + r) * kernelWidth + s];
        }
        else if (flip != 0 && o < channels)
        {
            value = weights[((input * channels + o) * kernelHeight + kernelHeight - 1 - r) * kernelWidth + kernelWidth - 1 - s];
        }
        packed[i] = value;
    }

    /// <summary>
    /// Variants 2 and 3 forward, on a padded input xPad (N, C, Hp, Wp) (+ zero slack, see <see cref="PadDilate"/>),
    /// planeLength = Hp·Wp, rowPitch = Wp, and packed weights (C·R·S, PackedPitch(K)) from <see cref="PackWeights"/>,
    /// exactly that long: its length gives C (which keeps the kernel within 14 parameters). A lane computes 16
    /// consecutive outputs of one row, (p, q0…q0+15) with q0 a multiple of 16, × output channels
    /// k0…k0+<paramref name="channelBlock"/>−1: tap (c, r, s) of those pixels reads xPad[c, stride·p + r, stride·q0 + s +
    /// stride·j], with <paramref name="stride"/> compiled in as 1 16 consecutive floats (one vector load, no bounds
    /// checks: a row's last block reads past its end into the next row or the slack, and drops those pixels); other
    /// strides are strided loads, their own program rather than a stride test inside the hot loop. The weights of the
    /// lane's channels are consecutive too (each broadcast into one multiply-add). The channel block is compiled in: 16
    /// (<see cref="ChannelBlock"/>, variant 2: 16 vector accumulators, enough independent multiply-adds to hide their
    /// latency) or 8 (<see cref="ChannelBlock8"/>, variant 3: 16 registers of 8 floats where variant 2's 256 floats take
    /// 32, for CPUs with 16 vector registers (AVX2), where variant 2 spills; <see cref="Conv2DTuning"/> picks per
    /// device). A whole block's 16 outputs of a channel are consecutive in y, so each is one vector store (blocks that
    /// ran across row ends, numbered over the padded rows, stored pixel by pixel with a test each: the first
    /// convolution of <c>fast</c>, 1 → 16 channels, spent most of its time there). Channels ≥ K are computed and dropped.
    /// index = (p·⌈Q / 16⌉ + q0 / 16, k0 / channelBlock, n). y: (N, K, P, Q).
    /// </summary>
    // Contraction allowed: its multiply-adds are the FMA units' work (results checked with a tolerance).
    [Kernel(AllowContraction = true)]
    public static void ForwardDirect(Index3D index, ArrayView<float> xPad, ArrayView<float> packed, ArrayView<float> bias, ArrayView<float> y,
        int planeLength, int rowPitch, int kernelHeight, int kernelWidth, int outChannels, int outHeight, int outWidth, int epilogue,
        SpecializedValue<int> channelBlock, SpecializedValue<int> stride)
    {
        int outPitch = PackedPitch(outChannels);
        int channels = packed.Length / (kernelHeight * kernelWidth * outPitch);
        int blocksPerRow = (outWidth + PixelBlock - 1) / PixelBlock;
        int p = index.X / blocksPerRow;
        int q0 = (index.X - p * blocksPerRow) * PixelBlock;
        int k0 = index.Y * channelBlock.Value;
        int n = index.Z;
        if (p >= outHeight || k0 >= outChannels || (n + 1) * outChannels * outHeight * outWidth > y.Length)
        {
            return;
        }
        Span<float> acc = stackalloc float[channelBlock.Value * PixelBlock];
        Span<float> xv = stackalloc float[PixelBlock];
        int imageBase = n * channels * planeLength + stride.Value * (p * rowPitch + q0);
        for (int c = 0; c < channels; c++)
        {
            for (int r = 0; r < kernelHeight; r++)
            {
                int rowBase = imageBase + c * planeLength + r * rowPitch;
                int tapBase = (c * kernelHeight + r) * kernelWidth;
                for (int s = 0; s < kernelWidth; s++)
                {
                    // Views starting at the blocks: constant offsets, which the compiler merges into vector loads.
                    var pixels = xPad.SubView(rowBase + s, stride.Value * (PixelBlock - 1) + 1);
                    var taps = packed.SubView((tapBase + s) * outPitch + k0, channelBlock.Value);
                    for (int j = 0; j < PixelBlock; j++)
                    {
                        xv[j] = pixels[stride.Value * j];
                    }
                    for (int k = 0; k < channelBlock.Value; k++)
                    {
                        float wv = taps[k];
                        for (int j = 0; j < PixelBlock; j++)
                        {
                            acc[k * PixelBlock + j] += wv * xv[j];
                        }
                    }
                }
            }
        }
        int valid = Math.Min(PixelBlock, outWidth - q0);
        for (int k = 0; k < channelBlock.Value; k++)
        {
            if (k0 + k < outChannels)
            {
                // The epilogue as one add and one clamp the whole block shares (Epilogue per pixel kept the stores scalar);
                // a compare, not MathF.Max, so that a NaN reaches the loss.
                float add = epilogue == EpilogueBias || epilogue == EpilogueBiasRelu ? bias[k0 + k] : 0f;
                float floor = epilogue >= EpilogueBiasRelu ? 0f : float.NegativeInfinity;
                var row = y.SubView(((n * outChannels + k0 + k) * outHeight + p) * outWidth + q0, valid);
                if (valid == PixelBlock)
                {
                    for (int j = 0; j < PixelBlock; j++)
                    {
                        float v = acc[k * PixelBlock + j] + add;
                        row[j] = v < floor ? floor : v;
                    }
                }
                else
                {
                    for (int j = 0; j < valid; j++)
                    {
                        float v = acc[k * PixelBlock + j] + add;
                        row[j] = v < floor ? floor : v;
                    }
                }
            }
        }
    }

    /// <summary>
    /// dyT (N, P·Q, <see cref="PackedPitch"/>(K)) from dy (N, K, P, Q): dyT[n, pq, k] = dy[n, k, pq], zero for k ≥ K, so
    /// that <see cref="BackwardWeightsDirect"/> reads 16 output channels of one pixel as one vector. One lane per row of
    /// dyT, index = (pq, n): no division (a flat index took one per lane), and each lane writes its row in one run.
    /// </summary>
    [Kernel]
    public static void TransposeGradient(Index2D index, ArrayView<float> dy, ArrayView<float> dyT, int outChannels, int planeLength)
    {
        int pq = index.X;
        int n = index.Y;
        int pitch = PackedPitch(outChannels);
        var row = dyT.SubView((n * planeLength + pq) * pitch, pitch);
        for (int k = 0; k < pitch; k++)
        {
            row[k] = k < outChannels ? dy[(n * outChannels + k) * planeLength + pq] : 0f;
        }
    }

    /// <summary>
    /// Variant 2 backward-weights, partial over a chunk of images: partial[chunk, k, (c·R + r)·S + s] = Σ over the
    /// chunk's images and output pixels (p, q) of dyT[n, p·Q + q, k] · xPad[n, c, p·stride + r, q·stride + s]. xPad: the
    /// padded x of <see cref="ForwardDirect"/> (N, C, Hp, Wp, + slack), planeLength = Hp·Wp, rowPitch = Wp; dyT from
    /// <see cref="TransposeGradient"/>. A lane owns 16 output channels (one vector of dyT per pixel) × 4 filter-row
    /// pieces (c, r, s0…s0+3), so each pixel costs one vector load and 16 multiply-adds with broadcast x values (4
    /// consecutive floats per piece, the shape the compiler turns into vector code); filter rows wider than 4 take several
    /// pieces, and taps s ≥ S in a piece are computed and dropped. index = (piece0 / 4, k0 / 16, chunk).
    /// </summary>
    // Contraction allowed: its multiply-adds are the FMA units' work (results checked with a tolerance).
    [Kernel(AllowContraction = true)]
    public static void BackwardWeightsDirect(Index3D index, ArrayView<float> xPad, ArrayView<float> dyT, ArrayView<float> partial,
        int channels, int planeLength, int rowPitch, int kernelHeight, int kernelWidth, int stride, int outChannels, int outHeight, int outWidth, int imagesPerChunk)
    {
        int piece0 = index.X * GradPieceBlock;
        int k0 = index.Y * ChannelBlock;
        int chunk = index.Z;
        int piecesPerRow = (kernelWidth + GradPieceWidth - 1) / GradPieceWidth;
        int pieces = channels * kernelHeight * piecesPerRow;
        int pitch = PackedPitch(outChannels);
        int pixels = outHeight * outWidth;
        int taps = channels * kernelHeight * kernelWidth;
        // partial holds (chunks, K, taps).
        if (piece0 >= pieces || k0 >= outChannels || (chunk + 1) * outChannels * taps > partial.Length)
        {
            return;
        }
        Span<float> acc = stackalloc float[256];
        Span<float> dv = stackalloc float[16];
        Span<int> pieceOffsets = stackalloc int[4];
        // Pieces past the end repeat the last one (results dropped): no branches in the hot loop.
        for (int l = 0; l < GradPieceBlock; l++)
        {
            int piece = Math.Min(piece0 + l, pieces - 1);
            int s0 = piece % piecesPerRow * GradPieceWidth;
            int r = piece / piecesPerRow % kernelHeight;
            int c = piece / (piecesPerRow * kernelHeight);
            pieceOffsets[l] = c * planeLength + r * rowPitch + s0;
        }
        for (int image = 0; image < imagesPerChunk; image++)
        {
            int n = chunk * imagesPerChunk + image;
            int xImage = n * channels * planeLength;
            int dyImage = n * pixels * pitch + k0;
            for (int p = 0; p < outHeight; p++)
            {
                for (int q = 0; q < outWidth; q++)
                {
                    var gradients = dyT.SubView(dyImage + (p * outWidth + q) * pitch, ChannelBlock);
                    for (int j = 0; j < ChannelBlock; j++)
                    {
                        dv[j] = gradients[j];
                    }
                    int pixel = xImage + p * stride * rowPitch + q * stride;
                    for (int l = 0; l < GradPieceBlock; l++)
                    {
                        var inputs = xPad.SubView(pixel + pieceOffsets[l], GradPieceWidth);
                        for (int s = 0; s < GradPieceWidth; s++)
                        {
                            float xv = inputs[s];
                            for (int j = 0; j < ChannelBlock; j++)
                            {
                                acc[(l * GradPieceWidth + s) * ChannelBlock + j] += xv * dv[j];
                            }
                        }
                    }
                }
            }
        }
        for (int l = 0; l < GradPieceBlock; l++)
        {
            int piece = piece0 + l;
            int s0 = piece % piecesPerRow * GradPieceWidth;
            int r = piece / piecesPerRow % kernelHeight;
            int c = piece / (piecesPerRow * kernelHeight);
            for (int s = 0; s < GradPieceWidth; s++)
            {
                if (piece < pieces && s0 + s < kernelWidth)
                {
                    int tap = (c * kernelHeight + r) * kernelWidth + s0 + s;
                    for (int j = 0; j < ChannelBlock; j++)
                    {
                        if (k0 + j < outChannels)
                        {
                            partial[(chunk * outChannels + k0 + j) * taps + tap] = acc[(l * GradPieceWidth + s) * ChannelBlock + j];
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// dWeights[i] = Σ over chunks of partial[chunk, i]: the per-chunk weight gradients of
    /// <see cref="BackwardWeightsDirect"/> summed. A lane sums 16 consecutive weights, chunk by chunk, so each step is one
    /// vector load and add (a lane per weight summed down a column of stride length, which nothing vectorises).
    /// index = i / 16.
    /// </summary>
    [Kernel]
    public static void SumPartials(Index1D index, ArrayView<float> partial, ArrayView<float> dWeights, int chunks, int length)
    {
        int i0 = index * PixelBlock;
        Span<float> sum = stackalloc float[PixelBlock];
        if (i0 + PixelBlock <= length)
        {
            for (int chunk = 0; chunk < chunks; chunk++)
            {
                var block = partial.SubView(chunk * length + i0, PixelBlock);
                for (int j = 0; j < PixelBlock; j++)
                {
                    sum[j] += block[j];
                }
            }
        }
        else
        {
            for (int chunk = 0; chunk < chunks; chunk++)
            {
                for (int j = 0; j < PixelBlock; j++)
                {
                    sum[j] += i0 + j < length ? partial[chunk * length + i0 + j] : 0f;
                }
            }
        }
        for (int j = 0; j < PixelBlock; j++)
        {
            if (i0 + j < length)
            {
                dWeights[i0 + j] = sum[j];
            }
        }
    }
}
