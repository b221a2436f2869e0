namespace GpuConvNet.Checkpoints;

/// <summary>A model's saved state: named F32 tensors and free-form string metadata (model name, epoch, accuracy, …).</summary>
public sealed class Checkpoint
{
    private readonly Dictionary<string, CheckpointTensor> byName;

    /// <summary>Bundles <paramref name="tensors"/> (unique names) with <paramref name="metadata"/>.</summary>
    public Checkpoint(IReadOnlyList<CheckpointTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        byName = new Dictionary<string, CheckpointTensor>(StringComparer.Ordinal);
        foreach (var tensor in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            if (tensor.Name == SafeTensors.MetadataKey)
            {
                throw new ArgumentException($"'{SafeTensors.MetadataKey}' is reserved for metadata and cannot name a tensor", nameof(tensors));
            }
            if (!byName.TryAdd(tensor.Name, tensor))
            {
                throw new ArgumentException($"two tensors are named '{tensor.Name}'", nameof(tensors));
            }
        }
        Tensors = tensors;
        Metadata = metadata ?? new Dictionary<string, string>();
    }

    /// <summary>The tensors, in order.</summary>
    public IReadOnlyList<CheckpointTensor> Tensors { get; }

    /// <summary>String metadata, stored in the safetensors header under "__metadata__".</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">There is none.</exception>
    public CheckpointTensor this[string name] =>
        byName.TryGetValue(name, out var tensor) ? tensor : throw new KeyNotFoundException($"the checkpoint has no tensor '{name}'");
}
