using GpuConvNet.Compute;

namespace GpuConvNet.Nn.Layers;

/// <summary>(C, H, W) → (C·H·W): NCHW is already contiguous per sample, so nothing moves.</summary>
public sealed class Flatten : Layer
{
    /// <inheritdoc />
    public override string NamePrefix => "flatten";

    /// <inheritdoc />
    public override string Describe() => "Flatten";

    /// <inheritdoc />
    protected override Shape BuildCore(Shape input, Random initialisation) => new(input.Size);

    /// <inheritdoc />
    public override ArrayView<float> Forward(ArrayView<float> x, int batch, StepContext step) => x;

    /// <inheritdoc />
    public override double[] ReferenceForward(float[] x, int batch) => Array.ConvertAll(x, v => (double)v);

    /// <inheritdoc />
    public override ArrayView<float> Backward(ArrayView<float> dy, int batch, bool needInputGradient) => needInputGradient ? dy : default;
}
