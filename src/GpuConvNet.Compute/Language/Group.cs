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

    /// <summary>The lane's index in the group (<see cref="IdxX"/>, <see cref="IdxY"/>, <see cref="IdxZ"/>); read its X, Y, Z.</summary>
    public static Index3D Index => CpuLane.Current.GroupIndex;

    /// <summary>Lanes per group (<see cref="DimX"/>, <see cref="DimY"/>, <see cref="DimZ"/>); read its X, Y, Z.</summary>
    public static Index3D Dimension => CpuLane.Current.Group.GroupDim;

    /// <summary>The lane's index in its group counted row by row: (IdxZ·DimY + IdxY)·DimX + IdxX.</summary>
    public static int LinearIndex => (IdxZ * DimY + IdxY) * DimX + IdxX;

    /// <summary>True for the group's first lane (index 0, 0, 0).</summary>
    public static bool IsFirstThread => LinearIndex == 0;

    /// <summary>True for the group's last lane (index DimX − 1, DimY − 1, DimZ − 1).</summary>
    public static bool IsLastThread => LinearIndex == DimX * DimY * DimZ - 1;

    /// <summary>
    /// Waits until every lane of the group reaches this barrier; shared memory written before it is visible after it.
    /// Every lane must reach the same barriers (the CPU accelerator reports divergence).
    /// </summary>
    public static void Barrier() => throw OutsideLaneCode("Barrier");

    /// <summary>
    /// Lane <paramref name="groupIndex"/>'s (its <see cref="LinearIndex"/>) <paramref name="value"/>, in every lane. It waits
    /// at barriers like <see cref="Barrier"/>: every lane calls it, in a kernel's body, as a statement of its own.
    /// </summary>
    public static T Broadcast<T>(T value, int groupIndex) where T : unmanaged => throw OutsideLaneCode("Broadcast");

    /// <summary>A barrier that also tells every lane whether <paramref name="predicate"/> holds in every lane.</summary>
    public static bool BarrierAnd(bool predicate) => throw OutsideLaneCode("BarrierAnd");

    /// <summary>A barrier that also tells every lane whether <paramref name="predicate"/> holds in any lane.</summary>
    public static bool BarrierOr(bool predicate) => throw OutsideLaneCode("BarrierOr");

    /// <summary>A barrier that also tells every lane in how many lanes <paramref name="predicate"/> holds.</summary>
    public static int BarrierPopCount(bool predicate) => throw OutsideLaneCode("BarrierPopCount");

    private static InvalidOperationException OutsideLaneCode(string member) =>
        new($"Group.{member}() ran outside generated lane code: call the kernel through an accelerator's Launch");
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

    /// <summary>The group's index in the grid (<see cref="IdxX"/>, …); read its X, Y, Z.</summary>
    public static Index3D Index => CpuLane.Current.Group.GroupIndex;

    /// <summary>Groups in the grid (<see cref="DimX"/>, …); read its X, Y, Z.</summary>
    public static Index3D Dimension => CpuLane.Current.Group.GridDim;

    /// <summary>The group's index in the grid counted row by row: (IdxZ·DimY + IdxY)·DimX + IdxX.</summary>
    public static int LinearIndex => (IdxZ * DimY + IdxY) * DimX + IdxX;

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
public static partial class SharedMemory
{
    /// <summary>
    /// A group-shared array of <paramref name="length"/> elements (a compile-time constant). Its contents are
    /// undefined until written: the CPU accelerator fills float memory with NaN to expose reads before writes.
    /// </summary>
    public static ArrayView<T> Allocate<T>(int length) where T : unmanaged =>
        throw new InvalidOperationException(
            $"SharedMemory.Allocate<{typeof(T).Name}>({length}) ran outside generated lane code: call the kernel through an accelerator's Launch");

    /// <summary>
    /// One group-shared element, as ILGPU's <c>ref T SharedMemory.Allocate&lt;T&gt;()</c>: <c>ref int count = ref
    /// SharedMemory.Allocate&lt;int&gt;();</c>. Undefined until written, like the arrays.
    /// </summary>
    public static ref T Allocate<T>() where T : unmanaged =>
        throw new InvalidOperationException(
            $"SharedMemory.Allocate<{typeof(T).Name}>() ran outside generated lane code: call the kernel through an accelerator's Launch");
}

/// <summary>Memory private to one lane (registers, or the device's private memory), as ILGPU's <c>LocalMemory</c>.</summary>
public static class LocalMemory
{
    /// <summary>
    /// A private array of <paramref name="length"/> elements (a compile-time constant, or a SpecializedValue's Value),
    /// undefined until written, as in ILGPU (<c>stackalloc</c> is the zeroed form): the CPU accelerator fills it with
    /// all-ones bytes (NaN for floats) so that reads before writes show.
    /// </summary>
    public static ArrayView<T> Allocate<T>(int length) where T : unmanaged
    {
        var data = new T[length];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()).Fill(0xFF);
        return new ArrayView<T>(null, data, 0, length);
    }
}

/// <summary>
/// Atomic read-modify-write on device memory, as ILGPU's <c>Atomic</c>: each returns the value the target held before.
/// The types are those OpenCL 1.2 has 32-bit atomics for (float only where a compare-and-swap loop or an exchange
/// serves): <c>Add</c> on int, uint, float; <c>Min</c>, <c>Max</c>, <c>And</c>, <c>Or</c>, <c>Xor</c>,
/// <c>CompareExchange</c> on int and uint; <c>Exchange</c> on int, uint, float.
/// </summary>
public static class Atomic
{
    /// <summary>target += value.</summary>
    public static int Add(ref int target, int value) => Interlocked.Add(ref target, value) - value;

    /// <summary>target += value.</summary>
    public static uint Add(ref uint target, uint value) => Interlocked.Add(ref target, value) - value;

    /// <summary>target += value.</summary>
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

    /// <summary>target = max(target, value).</summary>
    public static int Max(ref int target, int value) => Update(ref target, value, static (t, v) => Math.Max(t, v));

    /// <summary>target = max(target, value).</summary>
    public static uint Max(ref uint target, uint value) => Update(ref target, value, static (t, v) => Math.Max(t, v));

    /// <summary>target = min(target, value).</summary>
    public static int Min(ref int target, int value) => Update(ref target, value, static (t, v) => Math.Min(t, v));

    /// <summary>target = min(target, value).</summary>
    public static uint Min(ref uint target, uint value) => Update(ref target, value, static (t, v) => Math.Min(t, v));

    /// <summary>target &amp;= value.</summary>
    public static int And(ref int target, int value) => Interlocked.And(ref target, value);

    /// <summary>target &amp;= value.</summary>
    public static uint And(ref uint target, uint value) => Interlocked.And(ref target, value);

    /// <summary>target |= value.</summary>
    public static int Or(ref int target, int value) => Interlocked.Or(ref target, value);

    /// <summary>target |= value.</summary>
    public static uint Or(ref uint target, uint value) => Interlocked.Or(ref target, value);

    /// <summary>target ^= value.</summary>
    public static int Xor(ref int target, int value) => Update(ref target, value, static (t, v) => t ^ v);

    /// <summary>target ^= value.</summary>
    public static uint Xor(ref uint target, uint value) => Update(ref target, value, static (t, v) => t ^ v);

    /// <summary>target = value.</summary>
    public static int Exchange(ref int target, int value) => Interlocked.Exchange(ref target, value);

    /// <summary>target = value.</summary>
    public static uint Exchange(ref uint target, uint value) => Interlocked.Exchange(ref target, value);

    /// <summary>target = value.</summary>
    public static float Exchange(ref float target, float value) => Interlocked.Exchange(ref target, value);

    /// <summary>target = value if target == compare.</summary>
    public static int CompareExchange(ref int target, int compare, int value) => Interlocked.CompareExchange(ref target, value, compare);

    /// <summary>target = value if target == compare.</summary>
    public static uint CompareExchange(ref uint target, uint compare, uint value) => Interlocked.CompareExchange(ref target, value, compare);

    // A compare-and-swap loop for the operations Interlocked lacks; returns the old value.
    private static int Update(ref int target, int value, Func<int, int, int> operation)
    {
        int old = Volatile.Read(ref target);
        while (true)
        {
            int seen = Interlocked.CompareExchange(ref target, operation(old, value), old);
            if (seen == old)
            {
                return old;
            }
            old = seen;
        }
    }

    private static uint Update(ref uint target, uint value, Func<uint, uint, uint> operation)
    {
        uint old = Volatile.Read(ref target);
        while (true)
        {
            uint seen = Interlocked.CompareExchange(ref target, operation(old, value), old);
            if (seen == old)
            {
                return old;
            }
            old = seen;
        }
    }
}
