namespace GpuConvNet.Compute;

/// <summary>
/// The launch shape of an explicitly grouped kernel: <see cref="GridDim"/> groups of
/// <see cref="GroupDim"/> lanes each (CUDA: grid of blocks; OpenCL: global size = grid × group), and the dynamic
/// shared memory each group gets (<see cref="SharedMemoryConfig"/>).
/// </summary>
public readonly record struct KernelConfig(Index3D GridDim, Index3D GroupDim)
{
    /// <summary>A launch with <paramref name="sharedMemory"/> of dynamic shared memory per group.</summary>
    public KernelConfig(Index3D groups, Index3D groupSize, SharedMemoryConfig sharedMemory) : this(groups, groupSize) =>
        SharedMemoryConfig = sharedMemory;

    /// <summary>A 1D launch with <paramref name="sharedMemory"/> of dynamic shared memory per group.</summary>
    public KernelConfig(Index1D groups, Index1D groupSize, SharedMemoryConfig sharedMemory) : this(groups.X, groupSize.X) =>
        SharedMemoryConfig = sharedMemory;

    /// <summary>A 2D launch with <paramref name="sharedMemory"/> of dynamic shared memory per group.</summary>
    public KernelConfig(Index2D groups, Index2D groupSize, SharedMemoryConfig sharedMemory) : this(groups, groupSize) =>
        SharedMemoryConfig = sharedMemory;

    /// <summary>The dynamic shared memory of each group (<see cref="SharedMemory.GetDynamic{T}"/>); none by default.</summary>
    public SharedMemoryConfig SharedMemoryConfig { get; init; }

    /// <summary>A 1D launch of <paramref name="groups"/> groups of <paramref name="groupSize"/> lanes.</summary>
    public KernelConfig(int groups, int groupSize) : this(new Index3D(groups, 1, 1), new Index3D(groupSize, 1, 1)) { }

    /// <summary>A 2D launch.</summary>
    public KernelConfig(Index2D groups, Index2D groupSize)
        : this(new Index3D(groups.X, groups.Y, 1), new Index3D(groupSize.X, groupSize.Y, 1)) { }

    /// <summary>ILGPU's tuple form: <c>(groups, lanes per group)</c>, ints or Index1D.</summary>
    public static implicit operator KernelConfig((Index1D Groups, Index1D GroupSize) dimensions) => new(dimensions.Groups.X, dimensions.GroupSize.X);

    /// <summary>ILGPU's tuple form: <c>(groups, lanes per group)</c>.</summary>
    public static implicit operator KernelConfig((Index2D Groups, Index2D GroupSize) dimensions) => new(dimensions.Groups, dimensions.GroupSize);

    /// <summary>ILGPU's tuple form: <c>(groups, lanes per group)</c>.</summary>
    public static implicit operator KernelConfig((Index3D Groups, Index3D GroupSize) dimensions) => new(dimensions.Groups, dimensions.GroupSize);

    /// <summary>ILGPU's tuple form: <c>(groups, lanes per group, dynamic shared memory)</c>.</summary>
    public static implicit operator KernelConfig((Index1D Groups, Index1D GroupSize, SharedMemoryConfig SharedMemory) dimensions) =>
        new(dimensions.Groups, dimensions.GroupSize, dimensions.SharedMemory);

    /// <summary>ILGPU's tuple form: <c>(groups, lanes per group, dynamic shared memory)</c>.</summary>
    public static implicit operator KernelConfig((Index3D Groups, Index3D GroupSize, SharedMemoryConfig SharedMemory) dimensions) =>
        new(dimensions.Groups, dimensions.GroupSize, dimensions.SharedMemory);

    /// <summary>Lanes per group.</summary>
    public int GroupSize => GroupDim.X * GroupDim.Y * GroupDim.Z;

    /// <summary>The number of groups needed to cover <paramref name="extent"/> elements with groups of <paramref name="groupSize"/>.</summary>
    public static int GroupsFor(int extent, int groupSize) => (extent + groupSize - 1) / groupSize;
}
