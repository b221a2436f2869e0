using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Nn.Layers;

/// <summary>y = max(x, 0), any shape.</summary>
public sealed class Relu : Layer
{
    private MemoryBuffer<float> output = null!;

    /// <inheritdoc />
    public override string NamePrefix => "relu";

    /// <inheritdoc />
    public override string Describe() => "ReLU";

    /// <inheritdoc />
    protected override Shape BuildCore(Shape input, Random initialisation)
    {
        output = AddBuffer(input.Size);
        return input;
    }

    /// <inheritdoc />
    public override ArrayView<float> Forward(ArrayView<float> x, int batch, StepContext step)
    {
        var y = Batch(output, InputShape.Size, batch);
        Activation.Relu(Accelerator, x, y);
        return y;
    }

    /// <inheritdoc />
    public override double[] ReferenceForward(float[] x, int batch) => Array.ConvertAll(x, v => Math.Max((double)v, 0));

    /// <inheritdoc />
    public override ArrayView<float> Backward(ArrayView<float> dy, int batch, bool needInputGradient)
    {
        if (!needInputGradient)
        {
            return default;
        }
        // dy is consumed only here: mask it in place.
        Activation.ReluBackward(Accelerator, Batch(output, InputShape.Size, batch), dy, dy);
        return dy;
    }
}
