namespace GpuConvNet.Compute;

public sealed partial class KernelDefinition
{
    /// <summary>
    /// Lanes a group of this kernel may have at most, where its collectives (warp shuffles on OpenCL and the CPU
    /// accelerator, ILGPU.Algorithms' group reductions and scans everywhere) keep one shared slot per lane, sized when
    /// the kernel compiles; 0 where the device's limit is the only one. Set by generated code.
    /// </summary>
    public int MaxGroupSize { get; init; }

    /// <summary>
    /// The kernel shuffles within warps (Warp.Shuffle…, Warp.Barrier, WarpExtensions): its groups must be a whole
    /// number of warps, as a partial warp's missing lanes would be read. Set by generated code.
    /// </summary>
    public bool UsesWarps { get; init; }

    /// <summary>The most lanes a group of a kernel with collectives may have (<see cref="MaxGroupSize"/>): CUDA's limit.</summary>
    public const int CollectiveGroupLimit = 1024;
}
