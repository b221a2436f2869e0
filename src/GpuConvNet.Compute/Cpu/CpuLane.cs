using System.ComponentModel;
using System.Runtime.InteropServices;

namespace GpuConvNet.Compute.Cpu;

/// <summary>
/// One lane of a group on the CPU accelerator. The lanes of a group run on one thread, one after another from
/// barrier to barrier; <see cref="Current"/> is the lane running now on this thread.
/// </summary>
public sealed partial class CpuLane
{
    [ThreadStatic]
    private static CpuLane? current;

    internal CpuLane(CpuGroup group) => Group = group;

    /// <summary>The lane running on this thread.</summary>
    public static CpuLane Current => current ?? throw new InvalidOperationException(
        "Group, Grid and SharedMemory exist only inside an explicitly grouped kernel launched on an accelerator");

    /// <summary>The group this lane belongs to.</summary>
    internal CpuGroup Group { get; }

    /// <summary>The lane's index in its group.</summary>
    internal Index3D GroupIndex { get; set; }

    internal static void Enter(CpuLane? lane) => current = lane;

    /// <summary>
    /// The group's shared array for the <c>SharedMemory.Allocate</c> call at <paramref name="site"/> (its line):
    /// every lane gets the same memory. Generated lane code calls this.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static ArrayView<T> Shared<T>(int length, int site) where T : unmanaged =>
        Current.Group.Shared<T>(length, site);

    /// <summary>
    /// This lane's part of the group collective at <paramref name="site"/> (Group.Broadcast, BarrierAnd, …): a slot per
    /// lane, read by <see cref="BroadcastFrom{T}"/> or <see cref="VoteCount"/> after the barrier that follows.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void Contribute<T>(int site, T value) where T : unmanaged
    {
        var lane = Current;
        var (index, size) = (lane.GroupIndex, lane.Group.GroupDim);
        lane.Group.Slots<T>(site)[(index.Z * size.Y + index.Y) * size.X + index.X] = value;
    }

    /// <summary>What lane <paramref name="groupIndex"/> contributed at <paramref name="site"/> (Group.Broadcast).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static T BroadcastFrom<T>(int site, int groupIndex) where T : unmanaged
    {
        var slots = Current.Group.Slots<T>(site);
        if ((uint)groupIndex >= (uint)slots.Length)
        {
            throw new IndexOutOfRangeException($"Group.Broadcast from lane {groupIndex}: the group has {slots.Length} lanes");
        }
        return slots[groupIndex];
    }

    /// <summary>In how many lanes the predicate contributed at <paramref name="site"/> held (Group.BarrierPopCount).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static int VoteCount(int site)
    {
        int count = 0;
        foreach (bool vote in Current.Group.Slots<bool>(site))
        {
            count += vote ? 1 : 0;
        }
        return count;
    }

    /// <summary>Whether every lane's predicate held at <paramref name="site"/> (Group.BarrierAnd).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static bool VoteAll(int site) => VoteCount(site) == Current.Group.Slots<bool>(site).Length;

    /// <summary>Whether any lane's predicate held at <paramref name="site"/> (Group.BarrierOr).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static bool VoteAny(int site) => VoteCount(site) > 0;
}

/// <summary>The state one group shares on the CPU accelerator: its position and its shared memory.</summary>
internal sealed partial class CpuGroup(Index3D groupDim, Index3D gridDim, long dynamicBytes = 0)
{
    private readonly Dictionary<int, Array> sharedBySite = [];

    public Index3D GroupDim { get; } = groupDim;

    public Index3D GridDim { get; } = gridDim;

    public Index3D GroupIndex { get; private set; }

    /// <summary>Starts group <paramref name="index"/>: shared memory becomes garbage again, as on a GPU.</summary>
    public void Begin(Index3D index)
    {
        GroupIndex = index;
        foreach (var array in sharedBySite.Values)
        {
            // All-ones bytes: NaN for floats, -1 for ints, so that reads before writes show up in results.
            MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(
                ref MemoryMarshal.GetArrayDataReference(array), Buffer.ByteLength(array))).Fill(0xFF);
        }
    }

    /// <summary>One slot per lane for the group collective at <paramref name="site"/>.</summary>
    public T[] Slots<T>(int site) where T : unmanaged
    {
        if (!sharedBySite.TryGetValue(site, out var array))
        {
            sharedBySite[site] = array = new T[GroupDim.X * GroupDim.Y * GroupDim.Z];
        }
        return (T[])array;
    }

    public ArrayView<T> Shared<T>(int length, int site) where T : unmanaged
    {
        if (!sharedBySite.TryGetValue(site, out var array))
        {
            var fresh = new T[length];
            MemoryMarshal.AsBytes(fresh.AsSpan()).Fill(0xFF);
            sharedBySite[site] = array = fresh;
        }
        return new ArrayView<T>(null, (T[])array, 0, length);
    }
}
