using GpuConvNet.Compute;

namespace GpuConvNet.Nn.Layers;

/// <summary>A trainable tensor on the device with its gradient (same shape), named as in checkpoints (e.g. <c>conv1.weight</c>).</summary>
public sealed class Parameter : IDisposable
{
    /// <summary>Allocates the value and gradient of a parameter of <paramref name="shape"/>.</summary>
    public Parameter(Accelerator accelerator, string name, int[] shape, int fanIn)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        Name = name;
        Shape = shape;
        FanIn = fanIn;
        Length = shape.Aggregate(1, (a, b) => a * b);
        Value = accelerator.Allocate<float>(Length);
        Gradient = accelerator.Allocate<float>(Length);
        Gradient.Fill(0f);
    }

    /// <summary>Name in checkpoints.</summary>
    public string Name { get; }

    /// <summary>Dimensions, PyTorch order (a dense weight is (out, in); a conv weight (K, C, R, S)).</summary>
    public int[] Shape { get; }

    /// <summary>Elements.</summary>
    public int Length { get; }

    /// <summary>Inputs feeding each output (for initialisation).</summary>
    public int FanIn { get; }

    /// <summary>The values.</summary>
    public MemoryBuffer<float> Value { get; }

    /// <summary>d loss / d value of the last backward pass.</summary>
    public MemoryBuffer<float> Gradient { get; }

    /// <summary>PyTorch's default initialisation of Linear and Conv2d: uniform in ±1/√fan_in (Kaiming-uniform with a = √5).</summary>
    public void InitialiseUniform(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double bound = 1.0 / Math.Sqrt(FanIn);
        var values = new float[Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2 - 1) * bound);
        }
        Value.CopyFromHost(values);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Value.Dispose();
        Gradient.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}
