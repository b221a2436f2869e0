using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Nn.Layers;

/// <summary>Max pooling with a square window and stride (default 2×2, stride 2); remembers the argmax for backward.</summary>
public sealed class MaxPool(int window = 2, int stride = 2) : Layer
{
    private MemoryBuffer<float> output = null!;
    private MemoryBuffer<int> argmax = null!;
    private MemoryBuffer<float>? inputGradient;

    /// <summary>The square window's side.</summary>
    public int Window => window;

    /// <summary>Stride in both directions.</summary>
    public int Stride => stride;

    /// <summary>
    /// The batch norm (with its ReLU) right before this pooling that runs both as one op (<see cref="BatchNormPool"/>),
    /// set by the model before it builds them; null when this layer runs its own passes.
    /// </summary>
    public BatchNorm? FusedInto { get; internal set; }

    /// <inheritdoc />
    public override string NamePrefix => "pool";

    /// <inheritdoc />
    public override string Describe() => $"MaxPool({window}×{window}, stride {stride})";

    /// <inheritdoc />
    protected override Shape BuildCore(Shape input, Random initialisation)
    {
        var shape = Geometry(1, input);
        shape.Validate(Describe());
        var result = new Shape(input.Channels, shape.P, shape.Q);
        output = AddBuffer(result.Size);
        argmax = AddBuffer<int>(result.Size);
        // Fused, the batch norm writes the gradient of the pair's input; this layer's would never be written.
        inputGradient = FusedInto is null ? AddBuffer(input.Size) : null;
        return result;
    }

    /// <summary>The pooled values of the first <paramref name="batch"/> samples (what a fused batch norm writes).</summary>
    internal ArrayView<float> Output(int batch) => Batch(output, OutputShape.Size, batch);

    /// <summary>The argmax of every window (flat indices into the input), as <see cref="Output"/>.</summary>
    internal ArrayView<int> Argmax(int batch) => Batch(argmax, OutputShape.Size, batch);

    /// <inheritdoc />
    public override ArrayView<float> Forward(ArrayView<float> x, int batch, StepContext step)
    {
        var y = Batch(output, OutputShape.Size, batch);
        Kernels.MaxPool.Forward(Accelerator, x, y, Batch(argmax, OutputShape.Size, batch), Geometry(batch, InputShape));
        return y;
    }

    /// <inheritdoc />
    public override double[] ReferenceForward(float[] x, int batch) => MaxPoolReference.Forward(x, Geometry(batch, InputShape)).Y;

    /// <inheritdoc />
    public override ArrayView<float> Backward(ArrayView<float> dy, int batch, bool needInputGradient)
    {
        if (!needInputGradient)
        {
            return default;
        }
        if (inputGradient is null)
        {
            throw new InvalidOperationException($"{Name} runs inside {FusedInto?.Name}: the model runs the pair's backward as one");
        }
        var dx = Batch(inputGradient, InputShape.Size, batch);
        Kernels.MaxPool.Backward(Accelerator, dy, Batch(argmax, OutputShape.Size, batch), dx, Geometry(batch, InputShape));
        return dx;
    }

    private Pool2DShape Geometry(int batch, Shape input) =>
        Pool2DShape.Square(batch, input.Channels, input.Height, input.Width, window, stride);
}
