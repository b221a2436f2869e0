namespace GpuConvNet.Compute;

/// <summary>
/// The launch shape of an explicitly grouped kernel: <see cref="GridDim"/> groups of
/// <see cref="GroupDim"/> lanes each (CUDA: grid of blocks; OpenCL: global size = grid × group).
/// </summary>
public readonly record struct KernelConfig(Index3D GridDim, Index3D GroupDim)
{
    /// <summary>A 1D launch of <paramref name="groups"/> groups of <paramref name="groupSize"/> lanes.</summary>
    public KernelConfig(int groups, int groupSize) : this(new Index3D(groups, 1, 1), new Index3D(groupSize, 1, 1)) { }

    /// <summary>A 2D launch.</summary>
    public KernelConfig(Index2D groups, Index2D groupSize)
        : this(new Index3D(groups.X, groups.Y, 1), new Index3D(groupSize.X, groupSize.Y, 1)) { }

    /// <summary>Lanes per group.</summary>
    public int GroupSize => GroupDim.X * GroupDim.Y * GroupDim.Z;

    /// <summary>The number of groups needed to cover <paramref name="extent"/> elements with groups of <paramref name="groupSize"/>.</summary>
    public static int GroupsFor(int extent, int groupSize) => (extent + groupSize - 1) / groupSize;
}
