using GpuConvNet.Compute.Cpu;

namespace GpuConvNet.Compute;

/// <summary>The lane's position in its group (CUDA: threadIdx/blockDim; OpenCL: get_local_id/get_local_size).</summary>
public static class Group
{
    /// <summary>Lane index in the group, X.</summary>
    public static int IdxX => CpuLane.Current.GroupIndex.X;

    /// <summary>Lane index in the group, Y.</summary>
    public static int IdxY => CpuLane.Current.GroupIndex.Y;

    /// <summary>Lane index in the group, Z.</summary>
    public static int IdxZ => CpuLane.Current.GroupIndex.Z;

    /// <summary>Lanes per group, X.</summary>
    public static int DimX => CpuLane.Current.Group.GroupDim.X;

    /// <summary>Lanes per group, Y.</summary>
    public static int DimY => CpuLane.Current.Group.GroupDim.Y;

    /// <summary>Lanes per group, Z.</summary>
    public static int DimZ => CpuLane.Current.Group.GroupDim.Z;

    /// <summary>
    /// Waits until every lane of the group reaches this barrier; shared memory written before it is visible after it.
    /// Every lane must reach the same barriers (the CPU accelerator reports divergence).
    /// </summary>
    public static void Barrier() =>
        throw new InvalidOperationException(
            "Group.Barrier() ran outside generated lane code: call the kernel through an accelerator's Launch");
}

/// <summary>The group's position in the grid (CUDA: blockIdx/gridDim; OpenCL: get_group_id/get_num_groups).</summary>
public static class Grid
{
    /// <summary>Group index, X.</summary>
    public static int IdxX => CpuLane.Current.Group.GroupIndex.X;

    /// <summary>Group index, Y.</summary>
    public static int IdxY => CpuLane.Current.Group.GroupIndex.Y;

    /// <summary>Group index, Z.</summary>
    public static int IdxZ => CpuLane.Current.Group.GroupIndex.Z;

    /// <summary>Groups in the grid, X.</summary>
    public static int DimX => CpuLane.Current.Group.GridDim.X;

    /// <summary>Groups in the grid, Y.</summary>
    public static int DimY => CpuLane.Current.Group.GridDim.Y;

    /// <summary>Groups in the grid, Z.</summary>
    public static int DimZ => CpuLane.Current.Group.GridDim.Z;

    /// <summary>The lane's global index: group index × group size + lane index, per dimension.</summary>
    public static Index3D GlobalIndex
    {
        get
        {
            var lane = CpuLane.Current;
            var group = lane.Group;
            return new Index3D(
                group.GroupIndex.X * group.GroupDim.X + lane.GroupIndex.X,
                group.GroupIndex.Y * group.GroupDim.Y + lane.GroupIndex.Y,
                group.GroupIndex.Z * group.GroupDim.Z + lane.GroupIndex.Z);
        }
    }
}

/// <summary>Memory shared by the lanes of a group (CUDA <c>__shared__</c>, OpenCL <c>__local</c>).</summary>
public static class SharedMemory
{
    /// <summary>
    /// A group-shared array of <paramref name="length"/> elements (a compile-time constant). Its contents are
    /// undefined until written: the CPU accelerator fills float memory with NaN to expose reads before writes.
    /// </summary>
    public static ArrayView<T> Allocate<T>(int length) where T : unmanaged =>
        throw new InvalidOperationException(
            $"SharedMemory.Allocate<{typeof(T).Name}>({length}) ran outside generated lane code: call the kernel through an accelerator's Launch");
}

/// <summary>Atomic read-modify-write on device memory.</summary>
public static class Atomic
{
    /// <summary>Adds <paramref name="value"/> to <paramref name="target"/> atomically; returns the old value.</summary>
    public static int Add(ref int target, int value) => Interlocked.Add(ref target, value) - value;

    /// <summary>Adds <paramref name="value"/> to <paramref name="target"/> atomically; returns the old value.</summary>
    public static float Add(ref float target, float value)
    {
        float old = Volatile.Read(ref target);
        while (true)
        {
            float seen = Interlocked.CompareExchange(ref target, old + value, old);
            // Compare bits, not values: NaN != NaN would spin forever.
            if (BitConverter.SingleToInt32Bits(seen) == BitConverter.SingleToInt32Bits(old))
            {
                return old;
            }
            old = seen;
        }
    }

    /// <summary>Stores max(<paramref name="target"/>, <paramref name="value"/>) atomically; returns the old value.</summary>
    public static int Max(ref int target, int value)
    {
        int old = Volatile.Read(ref target);
        while (old < value)
        {
            int seen = Interlocked.CompareExchange(ref target, value, old);
            if (seen == old)
            {
                break;
            }
            old = seen;
        }
        return old;
    }
}
