using System.ComponentModel;
using System.Runtime.InteropServices;

namespace GpuConvNet.Compute.Cpu;

/// <summary>
/// One lane of a group on the CPU accelerator. The lanes of a group run on one thread, one after another from
/// barrier to barrier; <see cref="Current"/> is the lane running now on this thread.
/// </summary>
public sealed class CpuLane
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
}

/// <summary>The state one group shares on the CPU accelerator: its position and its shared memory.</summary>
internal sealed class CpuGroup(Index3D groupDim, Index3D gridDim)
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
