using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Nn.Layers;

/// <summary>
/// y = x·Wᵀ + b, optionally ReLU'd in the same pass (the matmul's epilogue). x: (N, in), W: (out, in) as PyTorch's
/// Linear stores it, b: (out), y: (N, out). Backward: dW = dyᵀ·x, db = Σₙ dy, dx = dy·W.
/// </summary>
public sealed class Dense(int outputs, bool relu = false) : Layer
{
    private Parameter weight = null!;
    private Parameter bias = null!;
    private MemoryBuffer<float> output = null!;
    private MemoryBuffer<float> inputGradient = null!;
    private MatMulWorkspace workspace = null!;
    private ArrayView<float> lastInput;

    /// <summary>Output features.</summary>
    public int Outputs => outputs;

    /// <summary>True when a ReLU follows in the same pass.</summary>
    public bool FusedRelu => relu;

    /// <summary>The weights (out, in).</summary>
    public Parameter Weight => weight;

    /// <summary>The bias (out).</summary>
    public Parameter Bias => bias;

    /// <inheritdoc />
    public override string NamePrefix => "fc";

    /// <inheritdoc />
    public override string Describe() => $"Dense({InputShape.Size}→{outputs}{(relu ? ", ReLU" : "")})";

    /// <inheritdoc />
    protected override Shape BuildCore(Shape input, Random initialisation)
    {
        if (!input.IsFlat)
        {
            throw new ArgumentException($"{Describe()} needs a flat input, got {input}: put a Flatten before it");
        }
        weight = AddParameter("weight", [outputs, input.Size], input.Size, initialisation);
        bias = AddParameter("bias", [outputs], input.Size, initialisation);
        output = AddBuffer(outputs);
        inputGradient = AddBuffer(input.Size);
        workspace = new MatMulWorkspace();
        return new Shape(outputs);
    }

    /// <inheritdoc />
    public override ArrayView<float> Forward(ArrayView<float> x, int batch, StepContext step)
    {
        lastInput = x;
        var y = Batch(output, outputs, batch);
        MatMul.Multiply(Accelerator, x, Transpose.No, weight.Value.View, Transpose.Yes, y, batch, outputs, InputShape.Size, bias.Value.View, relu,
            workspace: workspace);
        return y;
    }

    /// <inheritdoc />
    protected override void DisposeCore() => workspace?.Dispose();

    /// <inheritdoc />
    public override double[] ReferenceForward(float[] x, int batch) =>
        MatMulReference.Multiply(x, Transpose.No, weight.Value.ToArray(), Transpose.Yes, batch, outputs, InputShape.Size, bias.Value.ToArray(), relu);

    /// <inheritdoc />
    public override ArrayView<float> Backward(ArrayView<float> dy, int batch, bool needInputGradient)
    {
        int inputs = InputShape.Size;
        if (relu)
        {
            // dy is consumed only here, so the ReLU mask is applied in place.
            Activation.ReluBackward(Accelerator, Batch(output, outputs, batch), dy, dy);
        }
        var dx = needInputGradient ? Batch(inputGradient, inputs, batch) : default;
        MatMul.Backward(Accelerator, lastInput, weight.Value.View, dy, weight.Gradient.View, dx, batch, outputs, inputs, workspace);
        BiasGradient.Dense(Accelerator, dy, bias.Gradient.View, batch, outputs);
        return dx;
    }
}
