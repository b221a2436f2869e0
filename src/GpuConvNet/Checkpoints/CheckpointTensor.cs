namespace GpuConvNet.Checkpoints;

/// <summary>One named tensor of a checkpoint, F32 (weights, statistics) or I64 (counters): its shape and its elements in row-major order.</summary>
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

    /// <summary>A scalar I64 tensor (shape []), e.g. a batch norm's num_batches_tracked.</summary>
    public static CheckpointTensor Int64Scalar(string name, long value) => new(name, value);

    private CheckpointTensor(string name, long value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Shape = [];
        Data = [];
        Int64Data = [value];
    }

    /// <summary>"F32", or "I64" for <see cref="Int64Scalar"/> tensors.</summary>
    public string DType => Int64Data is null ? "F32" : "I64";

    /// <summary>The elements of an I64 tensor, else null.</summary>
    public long[]? Int64Data { get; }

    /// <summary>Bytes of the elements in the file.</summary>
    public long ByteLength => Int64Data is { } longs ? (long)longs.Length * sizeof(long) : (long)Data.Length * sizeof(float);

    /// <summary>The tensor's name, e.g. "conv1.weight".</summary>
    public string Name { get; }

    /// <summary>Dimensions, outermost first.</summary>
    public int[] Shape { get; }

    /// <summary>Elements in row-major order.</summary>
    public float[] Data { get; }
}
