namespace GpuConvNet.Nn.Layers;

/// <summary>
/// A count a layer keeps on the host and checkpoints save as an I64 scalar under PyTorch's name (a batch norm's
/// <c>bn1.num_batches_tracked</c>), so that PyTorch's <c>load_state_dict</c> finds every entry it expects.
/// </summary>
/// <param name="name">Its checkpoint name.</param>
public sealed class LayerCounter(string name)
{
    /// <summary>Its checkpoint name, PyTorch's.</summary>
    public string Name { get; } = name;

    /// <summary>The count.</summary>
    public long Value { get; set; }
}
