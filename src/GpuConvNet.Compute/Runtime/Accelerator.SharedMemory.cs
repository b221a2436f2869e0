namespace GpuConvNet.Compute;

public abstract partial class Accelerator
{
    /// <summary>
    /// Refuses, in one message, a launch whose dynamic shared memory does not fit beside the kernel's own shared arrays
    /// in a group's shared memory on this device (every engine, so that a kernel that runs on one runs on all that are
    /// as large).
    /// </summary>
    private void CheckSharedMemory(KernelDefinition definition, KernelConfig config)
    {
        long dynamic = config.SharedMemoryConfig.ArraySize;
        if (dynamic > 0 && dynamic + definition.StaticSharedMemoryBytes > Device.SharedMemoryPerGroup)
        {
            throw new ArgumentOutOfRangeException(nameof(config),
                $"kernel {definition.Name}: {dynamic:N0} bytes of dynamic shared memory" +
                (definition.StaticSharedMemoryBytes > 0 ? $" beside its {definition.StaticSharedMemoryBytes:N0} bytes of shared arrays" : "") +
                $" exceed {Name}'s {Device.SharedMemoryPerGroup:N0} bytes of shared memory per group");
        }
    }
}
