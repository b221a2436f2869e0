using System.ComponentModel;

namespace GpuConvNet.Compute.Cpu;

/// <summary>
/// Where the lane iterator of a kernel function that waits at barriers leaves its return value on the CPU accelerator
/// (an iterator cannot return one). Generated lane code creates and reads it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class LaneResult<T>
{
    /// <summary>The function's return value, once its lane has run to the end.</summary>
    public T Value { get; set; } = default!;
}
