using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Nn.Layers;

/// <summary>
/// PyTorch's BatchNorm2d after a convolution (per channel over batch and plane) or BatchNorm1d after a dense layer (per
/// feature over the batch): y = weight·(x − mean)/√(var + eps) + bias, with the batch's statistics in training (the
/// running ones moved towards them, momentum 0.1) and the running ones in inference. Checkpoints hold
/// <c>bnN.weight</c>, <c>bnN.bias</c>, <c>bnN.running_mean</c>, <c>bnN.running_var</c> and <c>bnN.num_batches_tracked</c>, as PyTorch's.
/// With <c>relu</c> the ReLU that follows is fused into its passes (PyTorch: a separate nn.ReLU, no parameters).
/// </summary>
public sealed class BatchNorm(float eps = 1e-5f, float momentum = 0.1f, bool relu = false) : Layer
{
    private Parameter weight = null!;
    private Parameter bias = null!;
    private MemoryBuffer<float> runningMean = null!;
    private MemoryBuffer<float> runningVar = null!;
    private MemoryBuffer<float> mean = null!;
    private MemoryBuffer<float> invStd = null!;
    private MemoryBuffer<float> scale = null!;
    private MemoryBuffer<float> shift = null!;
    private MemoryBuffer<float> coefficients = null!;
    // Per image and channel sums of the statistics and of the backward (BatchNorm.Resolve: variant 1 on GPUs), 2 per pair.
    private MemoryBuffer<float> partials = null!;
    private MemoryBuffer<float>? output;
    // Fused with a pooling: x at each window's argmax, written forward, read by the backward sums.
    private MemoryBuffer<float>? xAtMax;
    private MemoryBuffer<float> inputGradient = null!;
    private ArrayView<float> lastInput;
    private LayerState[] states = [];
    private LayerCounter batchesTracked = null!;
    private LayerCounter[] counters = [];

    /// <summary>The epsilon added to the variance.</summary>
    public float Epsilon => eps;

    /// <summary>True when a ReLU follows in the same pass.</summary>
    public bool FusedRelu => relu;

    /// <summary>The scale (gamma), per channel.</summary>
    public Parameter Weight => weight;

    /// <summary>The shift (beta), per channel.</summary>
    public Parameter Bias => bias;

    /// <summary>The running mean, per channel (what inference normalises by).</summary>
    public MemoryBuffer<float> RunningMean => runningMean;

    /// <summary>The running variance, per channel.</summary>
    public MemoryBuffer<float> RunningVariance => runningVar;

    /// <summary>
    /// The 2×2 max pooling right after this layer when the two run as one op (<see cref="BatchNormPool"/>: ReLU fused,
    /// planes of even height and width); set by the model before it builds them, null otherwise.
    /// </summary>
    public MaxPool? FusedPool { get; private set; }

    /// <inheritdoc />
    public override string NamePrefix => "bn";

    /// <inheritdoc />
    public override string Describe() => $"BatchNorm{(InputShape.IsFlat ? "1d" : "2d")}({InputShape.Channels}{(relu ? ", ReLU" : "")})";

    /// <summary>Training batches seen (PyTorch's num_batches_tracked), saved in checkpoints.</summary>
    public long BatchesTracked => batchesTracked.Value;

    /// <inheritdoc />
    public override IReadOnlyList<LayerState> States => states;

    /// <inheritdoc />
    public override IReadOnlyList<LayerCounter> Counters => counters;

    /// <inheritdoc />
    protected override Shape BuildCore(Shape input, Random initialisation)
    {
        int channels = input.Channels;
        weight = AddParameter("weight", [channels], 1f);
        bias = AddParameter("bias", [channels], 0f);
        runningMean = AddFixedBuffer(channels, 0f);
        runningVar = AddFixedBuffer(channels, 1f);
        mean = AddFixedBuffer(channels, 0f);
        invStd = AddFixedBuffer(channels, 1f);
        scale = AddFixedBuffer(channels, 0f);
        shift = AddFixedBuffer(channels, 0f);
        coefficients = AddFixedBuffer(3 * channels, 0f);
        partials = AddBuffer(2 * channels);
        // Fused, the pooling's buffers take the output: the full-size normalised tensor is never stored.
        output = FusedPool is null ? AddBuffer(input.Size) : null;
        xAtMax = FusedPool is null ? null : AddBuffer(input.Size / 4);
        inputGradient = AddBuffer(input.Size);
        states = [new LayerState($"{Name}.running_mean", [channels], runningMean), new LayerState($"{Name}.running_var", [channels], runningVar)];
        batchesTracked = new LayerCounter($"{Name}.num_batches_tracked");
        counters = [batchesTracked];
        return input;
    }

    private BatchNormShape ShapeOf(int batch) => new(batch, InputShape.Channels, InputShape.Height * InputShape.Width, eps, momentum, relu);

    private BatchNormPoolShape PooledShapeOf(int batch) => new(batch, InputShape.Channels, InputShape.Height, InputShape.Width, eps, momentum);

    /// <summary>
    /// Makes this layer and <paramref name="pool"/> (the next one) run as one op when that is exact and applies: a
    /// fused ReLU, planes (not features) of <paramref name="input"/> of even height and width, 2×2 windows with stride
    /// 2. Call before either is built; otherwise each keeps its own passes.
    /// </summary>
    internal void TryFuse(MaxPool pool, Shape input)
    {
        if (relu && !input.IsFlat && pool.Window == 2 && pool.Stride == 2 && input.Height % 2 == 0 && input.Width % 2 == 0)
        {
            FusedPool = pool;
            pool.FusedInto = this;
        }
    }

    /// <summary>
    /// The fused forward of this layer and <see cref="FusedPool"/>: batch norm, ReLU and pooling in one op, into the
    /// pooling's buffers; returns the pooled output (batch, C, H/2, W/2).
    /// </summary>
    internal ArrayView<float> ForwardPooled(ArrayView<float> x, int batch, StepContext step)
    {
        var pool = FusedPool ?? throw new InvalidOperationException($"{Name} has no fused pooling");
        var y = pool.Output(batch);
        var argmax = pool.Argmax(batch);
        var atMax = XAtMax(batch);
        if (step.Training)
        {
            BatchNormPool.ForwardTraining(Accelerator, PooledShapeOf(batch), x, y, argmax, atMax, weight.Value.View, bias.Value.View, mean.View, invStd.View,
                runningMean.View, runningVar.View, scale.View, shift.View, Batch(partials, 2 * InputShape.Channels, batch));
            batchesTracked.Value++;
            lastInput = x;
        }
        else
        {
            BatchNormPool.ForwardInference(Accelerator, PooledShapeOf(batch), x, y, argmax, atMax, weight.Value.View, bias.Value.View, runningMean.View,
                runningVar.View, scale.View, shift.View);
        }
        return y;
    }

    /// <summary>The fused backward from the pooled output's gradient: parameter gradients, and dx when asked for.</summary>
    internal ArrayView<float> BackwardPooled(ArrayView<float> dy, int batch, bool needInputGradient)
    {
        var pool = FusedPool ?? throw new InvalidOperationException($"{Name} has no fused pooling");
        var dx = needInputGradient ? Batch(inputGradient, InputShape.Size, batch) : default;
        BatchNormPool.Backward(Accelerator, PooledShapeOf(batch), lastInput, pool.Output(batch), pool.Argmax(batch), XAtMax(batch), dy, dx, weight.Value.View,
            mean.View, invStd.View, weight.Gradient.View, bias.Gradient.View, coefficients.View, Batch(partials, 2 * InputShape.Channels, batch));
        return dx;
    }

    /// <inheritdoc />
    public override ArrayView<float> Forward(ArrayView<float> x, int batch, StepContext step)
    {
        var y = Batch(output ?? throw Fused(), InputShape.Size, batch);
        if (step.Training)
        {
            Kernels.BatchNorm.ForwardTraining(Accelerator, ShapeOf(batch), x, y, weight.Value.View, bias.Value.View, mean.View, invStd.View,
                runningMean.View, runningVar.View, scale.View, shift.View, Batch(partials, 2 * InputShape.Channels, batch));
            batchesTracked.Value++;
            lastInput = x;
        }
        else
        {
            Kernels.BatchNorm.ForwardInference(Accelerator, ShapeOf(batch), x, y, weight.Value.View, bias.Value.View, runningMean.View, runningVar.View,
                scale.View, shift.View);
        }
        return y;
    }

    /// <inheritdoc />
    public override double[] ReferenceForward(float[] x, int batch)
    {
        static double[] D(float[] values) => [.. values.Select(v => (double)v)];
        return BatchNormReference.Inference(D(x), D(weight.Value.ToArray()), D(bias.Value.ToArray()), D(runningMean.ToArray()), D(runningVar.ToArray()), ShapeOf(batch));
    }

    /// <inheritdoc />
    public override ArrayView<float> Backward(ArrayView<float> dy, int batch, bool needInputGradient)
    {
        // dx is needed for dGamma's and dBeta's sums anyway in one pass; the first layer simply does not pass it on.
        var dx = Batch(inputGradient, InputShape.Size, batch);
        Kernels.BatchNorm.Backward(Accelerator, ShapeOf(batch), lastInput, Batch(output ?? throw Fused(), InputShape.Size, batch), dy, dx, weight.Value.View, mean.View, invStd.View, weight.Gradient.View, bias.Gradient.View,
            coefficients.View, Batch(partials, 2 * InputShape.Channels, batch));
        return needInputGradient ? dx : default;
    }

    private ArrayView<float> XAtMax(int batch) => Batch(xAtMax ?? throw new InvalidOperationException($"{Name} has no fused pooling"), InputShape.Size / 4, batch);

    private InvalidOperationException Fused() => new($"{Name} runs fused with {FusedPool?.Name}: the model runs the pair as one op");
}
