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
    private MemoryBuffer<float> output = null!;
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
        output = AddBuffer(input.Size);
        inputGradient = AddBuffer(input.Size);
        states = [new LayerState($"{Name}.running_mean", [channels], runningMean), new LayerState($"{Name}.running_var", [channels], runningVar)];
        batchesTracked = new LayerCounter($"{Name}.num_batches_tracked");
        counters = [batchesTracked];
        return input;
    }

    private BatchNormShape ShapeOf(int batch) => new(batch, InputShape.Channels, InputShape.Height * InputShape.Width, eps, momentum, relu);

    /// <inheritdoc />
    public override ArrayView<float> Forward(ArrayView<float> x, int batch, StepContext step)
    {
        var y = Batch(output, InputShape.Size, batch);
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
        Kernels.BatchNorm.Backward(Accelerator, ShapeOf(batch), lastInput, Batch(output, InputShape.Size, batch), dy, dx, weight.Value.View, mean.View, invStd.View, weight.Gradient.View, bias.Gradient.View,
            coefficients.View, Batch(partials, 2 * InputShape.Channels, batch));
        return needInputGradient ? dx : default;
    }
}
