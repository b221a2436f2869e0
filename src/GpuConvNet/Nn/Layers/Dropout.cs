using GpuConvNet.Compute;

namespace GpuConvNet.Nn.Layers;

/// <summary>
/// Inverted dropout: in training each element is zeroed with probability p and the rest scaled by 1/(1−p); at
/// inference the layer passes x through. The mask is a hash of (seed, layer, step, element): backward recomputes it.
/// </summary>
public sealed class Dropout(float p) : Layer
{
    private MemoryBuffer<float> output = null!;
    private MemoryBuffer<float> inputGradient = null!;
    private uint nameHash;
    private uint seed;
    private uint step;

    /// <inheritdoc />
    public override string NamePrefix => "dropout";

    /// <inheritdoc />
    public override string Describe() => $"Dropout({p})";

    /// <inheritdoc />
    protected override Shape BuildCore(Shape input, Random initialisation)
    {
        if (!(p is >= 0f and < 1f))
        {
            throw new ArgumentException($"Dropout: p is {p}; it must be in [0, 1)");
        }
        output = AddBuffer(input.Size);
        inputGradient = AddBuffer(input.Size);
        // FNV-1a: string.GetHashCode is randomised per process, which would make masks differ between runs.
        nameHash = 2166136261u;
        foreach (char c in Name)
        {
            nameHash = (nameHash ^ c) * 16777619u;
        }
        return input;
    }

    /// <inheritdoc />
    public override ArrayView<float> Forward(ArrayView<float> x, int batch, StepContext context)
    {
        if (!context.Training || p == 0f)
        {
            step = uint.MaxValue;
            return x;
        }
        // Each dropout layer gets its own stream: the layer's name enters the seed.
        seed = (uint)context.Seed * 0x9E3779B1u ^ nameHash;
        step = (uint)context.Step;
        var y = Batch(output, InputShape.Size, batch);
        Kernels.Dropout.Forward(Accelerator, x, y, p, seed, step);
        return y;
    }

    /// <inheritdoc />
    public override double[] ReferenceForward(float[] x, int batch) => Array.ConvertAll(x, v => (double)v);

    /// <inheritdoc />
    public override ArrayView<float> Backward(ArrayView<float> dy, int batch, bool needInputGradient)
    {
        if (!needInputGradient || step == uint.MaxValue)
        {
            return needInputGradient ? dy : default;
        }
        var dx = Batch(inputGradient, InputShape.Size, batch);
        Kernels.Dropout.Backward(Accelerator, dy, dx, p, seed, step);
        return dx;
    }
}
