namespace GpuConvNet.Compute;

public abstract partial class Accelerator
{
    /// <summary>
    /// Lanes per warp (ILGPU's <c>Accelerator.WarpSize</c>): 32 on our engines (CUDA's, and the same on OpenCL and the
    /// CPU accelerator, which shuffle through shared memory); on ILGPU's, ILGPU's (4 on its CPU accelerator).
    /// </summary>
    public int WarpSize => Device.WarpSize;

    /// <summary>A group shape the kernel's collectives cannot work with: too many lanes, or a partial warp.</summary>
    private void CheckCollectives(KernelDefinition definition, KernelConfig config)
    {
        if (definition.MaxGroupSize > 0 && config.GroupSize > definition.MaxGroupSize)
        {
            throw new ArgumentOutOfRangeException(nameof(config),
                $"kernel {definition.Name}: a group of {config.GroupSize} lanes exceeds the {definition.MaxGroupSize} its group and warp collectives have shared slots for");
        }
        if (definition.UsesWarps && config.GroupSize % WarpSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(config),
                $"kernel {definition.Name} shuffles within warps: a group of {config.GroupSize} lanes is not a whole number of {Name}'s {WarpSize}-lane warps");
        }
    }
}
