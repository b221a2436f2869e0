namespace GpuConvNet.Compute;

public sealed partial class KernelDefinition
{
    /// <summary>
    /// True when the kernel reads dynamic shared memory (<see cref="SharedMemory.GetDynamic{T}"/>): its device code then
    /// ends its parameters with that memory, sized at the launch — in OpenCL C a <c>__local</c> pointer and its size in
    /// bytes (an int), in CUDA C the size only, the memory being the launch's <c>extern __shared__</c> bytes.
    /// </summary>
    public bool DynamicSharedMemory { get; init; }

    /// <summary>
    /// Bytes of the shared arrays the kernel allocates with constant sizes (a size made of specialised values is not
    /// counted): a launch that asks for more dynamic shared memory than the device has beside them is refused.
    /// </summary>
    public long StaticSharedMemoryBytes { get; init; }
}
