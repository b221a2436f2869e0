using GpuConvNet.Compute;

namespace GpuConvNet.Nn.Layers;

/// <summary>A tensor a layer keeps that is not trained by the optimiser (e.g. <c>bn1.running_mean</c>).</summary>
/// <param name="Name">Its checkpoint name, PyTorch's.</param>
/// <param name="Shape">Its dimensions.</param>
/// <param name="Value">Its device buffer, owned by the layer.</param>
public sealed record LayerState(string Name, int[] Shape, MemoryBuffer<float> Value);
