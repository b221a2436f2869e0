using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Nn.Layers;

/// <summary>
/// 2D convolution with bias, optionally ReLU'd in the same pass. Input (C, H, W), weights (K, C, R, R) as PyTorch's
/// Conv2d stores them, output (K, P, Q). The convolution's scratch memory is reserved once, at build.
/// </summary>
public sealed class Conv(int outputs, int kernel, int padding = 0, int stride = 1, bool relu = false) : Layer
{
    private Parameter weight = null!;
    private Parameter bias = null!;
    private MemoryBuffer<float> output = null!;
    private MemoryBuffer<float> inputGradient = null!;
    private Conv2DWorkspace workspace = null!;
    private ArrayView<float> lastInput;

    /// <summary>Output channels (K).</summary>
    public int Outputs => outputs;

    /// <summary>The square kernel's side (R).</summary>
    public int Kernel => kernel;

    /// <summary>Zero padding on each side.</summary>
    public int Padding => padding;

    /// <summary>Stride in both directions.</summary>
    public int Stride => stride;

    /// <summary>True when a ReLU follows in the same pass.</summary>
    public bool FusedRelu => relu;

    /// <summary>The weights (K, C, R, R).</summary>
    public Parameter Weight => weight;

    /// <summary>The bias (K).</summary>
    public Parameter Bias => bias;

    /// <summary>
    /// True when a batch norm takes this layer's output as it is (no ReLU between): its batch mean then cancels the bias
    /// exactly, whose gradient Σ dy is 0 in exact arithmetic (float32 leaves ~1e-9 of rounding), so the backward leaves
    /// it at 0 instead of summing dy. Set by the model (<see cref="Model.FuseBlocks"/>) before it builds the layer.
    /// </summary>
    public bool BiasCancelledByBatchNorm { get; internal set; }

    /// <inheritdoc />
    public override string NamePrefix => "conv";

    /// <inheritdoc />
    public override string Describe() =>
        $"Conv2D({InputShape.Channels}→{outputs}, {kernel}×{kernel}{(padding > 0 ? $", pad {padding}" : "")}{(stride > 1 ? $", stride {stride}" : "")}{(relu ? ", ReLU" : "")})";

    /// <inheritdoc />
    protected override Shape BuildCore(Shape input, Random initialisation)
    {
        var shape = Geometry(MaxBatch, input);
        shape.Validate(Describe());
        int fanIn = input.Channels * kernel * kernel;
        weight = AddParameter("weight", [outputs, input.Channels, kernel, kernel], fanIn, initialisation);
        bias = AddParameter("bias", [outputs], fanIn, initialisation);
        var result = new Shape(outputs, shape.P, shape.Q);
        output = AddBuffer(result.Size);
        inputGradient = AddBuffer(input.Size);
        workspace = new Conv2DWorkspace(Accelerator);
        workspace.Reserve(shape);
        return result;
    }

    /// <inheritdoc />
    public override ArrayView<float> Forward(ArrayView<float> x, int batch, StepContext step)
    {
        lastInput = x;
        var y = Batch(output, OutputShape.Size, batch);
        Conv2D.Forward(Accelerator, Geometry(batch, InputShape), x, weight.Value.View, bias.Value.View, y, workspace, relu);
        return y;
    }

    /// <inheritdoc />
    public override double[] ReferenceForward(float[] x, int batch) =>
        Conv2DReference.Forward(Geometry(batch, InputShape), x, weight.Value.ToArray(), bias.Value.ToArray(), relu);

    /// <inheritdoc />
    public override ArrayView<float> Backward(ArrayView<float> dy, int batch, bool needInputGradient)
    {
        if (relu)
        {
            // dy is consumed only here, so the ReLU mask is applied in place.
            Activation.ReluBackward(Accelerator, Batch(output, OutputShape.Size, batch), dy, dy);
        }
        var shape = Geometry(batch, InputShape);
        // A bias cancelled by a batch norm keeps the zero gradient it was allocated with.
        Conv2D.BackwardWeights(Accelerator, shape, lastInput, dy, weight.Gradient.View, BiasCancelledByBatchNorm ? default : bias.Gradient.View, workspace,
            xUnchangedSinceForward: true);
        if (!needInputGradient)
        {
            return default;
        }
        var dx = Batch(inputGradient, InputShape.Size, batch);
        Conv2D.BackwardData(Accelerator, shape, dy, weight.Value.View, dx, workspace);
        return dx;
    }

    /// <inheritdoc />
    protected override void DisposeCore() => workspace?.Dispose();

    private Conv2DShape Geometry(int batch, Shape input) =>
        new(batch, input.Channels, input.Height, input.Width, outputs, kernel, kernel, stride, padding);
}
