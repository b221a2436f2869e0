namespace GpuConvNet.Checkpoints;

/// <summary>One named F32 tensor of a checkpoint: its shape and its elements in row-major order.</summary>
public sealed class CheckpointTensor
{
    /// <summary>Names <paramref name="data"/>, which must hold exactly as many elements as <paramref name="shape"/> says.</summary>
    public CheckpointTensor(string name, int[] shape, float[] data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        int count = TensorSpec.ElementCount(shape);
        if (data.Length != count)
        {
            throw new ArgumentException($"tensor {name} of shape {TensorSpec.FormatShape(shape.Select(d => (long)d))} needs {count} elements, got {data.Length}", nameof(data));
        }
        Name = name;
        Shape = shape;
        Data = data;
    }

    /// <summary>The tensor's name, e.g. "conv1.weight".</summary>
    public string Name { get; }

    /// <summary>Dimensions, outermost first.</summary>
    public int[] Shape { get; }

    /// <summary>Elements in row-major order.</summary>
    public float[] Data { get; }
}
