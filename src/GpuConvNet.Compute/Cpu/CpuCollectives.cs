using System.ComponentModel;

namespace GpuConvNet.Compute.Cpu;

/// <summary>
/// The CPU accelerator's warp shuffles and ILGPU.Algorithms' reductions and scans. Generated lane code contributes the
/// lane's value at the call site (<see cref="CpuLane.Contribute{T}"/>), waits at a barrier, calls one of these to read
/// what it gets from the group's slots, and waits again. Each combines in the order the OpenCL fallback and the CUDA
/// shuffles do (a butterfly in warps, a halving tree in groups, Hillis–Steele scans), so floats come out the same.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CpuCollectives
{
    private const int WarpSize = Warp.Size;

    /// <summary>Warp.Shuffle: lane <paramref name="sourceLane"/> mod <paramref name="width"/> of this lane's run of width lanes.</summary>
    public static T Shuffle<T>(int site, int sourceLane, int width) where T : unmanaged =>
        FromLane<T>(site, width, lane => (lane & ~(width - 1)) + (sourceLane & (width - 1)));

    /// <summary>Warp.ShuffleDown: lane + delta, or this lane's own value past the end of its run.</summary>
    public static T ShuffleDown<T>(int site, int delta, int width) where T : unmanaged =>
        FromLane<T>(site, width, lane => (uint)(lane & (width - 1)) + (uint)delta < (uint)width ? lane + delta : lane);

    /// <summary>Warp.ShuffleUp: lane − delta, or this lane's own value before the start of its run.</summary>
    public static T ShuffleUp<T>(int site, int delta, int width) where T : unmanaged =>
        FromLane<T>(site, width, lane => (uint)delta <= (uint)(lane & (width - 1)) ? lane - delta : lane);

    /// <summary>Warp.ShuffleXor: lane xor mask, or this lane's own value where that is past the end of its run (CUDA's rule).</summary>
    public static T ShuffleXor<T>(int site, int mask, int width) where T : unmanaged =>
        FromLane<T>(site, width, lane => (uint)(lane ^ mask) <= (uint)(lane | (width - 1)) ? lane ^ mask : lane);

    /// <summary>Warp.Broadcast: lane <paramref name="sourceLane"/>'s value (mod the warp size).</summary>
    public static T Broadcast<T>(int site, int sourceLane) where T : unmanaged =>
        FromLane<T>(site, WarpSize, _ => sourceLane);

    /// <summary>WarpExtensions.Reduce and AllReduce: a butterfly, v[i] = op(v[i], v[i xor d]) for d = 16, 8, …, 1.</summary>
    public static T WarpReduce<T, TOperation>(int site) where T : unmanaged where TOperation : struct, IScanReduceOperation<T>
    {
        var (values, lane) = WarpValues<T>(site);
        var next = new T[WarpSize];
        for (int d = WarpSize / 2; d > 0; d >>= 1)
        {
            for (int i = 0; i < WarpSize; i++)
            {
                next[i] = default(TOperation).Apply(values[i], values[i ^ d]);
            }
            (values, next) = (next, values);
        }
        return values[lane];
    }

    /// <summary>WarpExtensions.InclusiveScan and ExclusiveScan, Hillis–Steele over the warp's lanes.</summary>
    public static T WarpScan<T, TOperation>(int site, bool inclusive) where T : unmanaged where TOperation : struct, IScanReduceOperation<T>
    {
        var (values, lane) = WarpValues<T>(site);
        return Scanned<T, TOperation>(values, lane, inclusive);
    }

    /// <summary>
    /// GroupExtensions.Reduce and AllReduce: a halving tree over the group's n lanes, v[p] = op(v[p], v[p + s]) for
    /// p + s &lt; n, s from the largest power of 2 below n down to 1.
    /// </summary>
    public static T GroupReduce<T, TOperation>(int site) where T : unmanaged where TOperation : struct, IScanReduceOperation<T>
    {
        var values = (T[])CpuLane.Current.Group.Slots<T>(site).Clone();
        int n = values.Length;
        int stride = 1;
        while (stride * 2 < n)
        {
            stride *= 2;
        }
        for (; stride > 0; stride >>= 1)
        {
            for (int p = 0; p < stride && p + stride < n; p++)
            {
                values[p] = default(TOperation).Apply(values[p], values[p + stride]);
            }
        }
        return values[0];
    }

    /// <summary>GroupExtensions.InclusiveScan and ExclusiveScan, Hillis–Steele over the group's lanes.</summary>
    public static T GroupScan<T, TOperation>(int site, bool inclusive) where T : unmanaged where TOperation : struct, IScanReduceOperation<T> =>
        Scanned<T, TOperation>((T[])CpuLane.Current.Group.Slots<T>(site).Clone(), Group.LinearIndex, inclusive);

    /// <summary>Round by round, v[p] = op(v[p − d], v[p]) for p ≥ d, d = 1, 2, 4, …; then lane p's prefix.</summary>
    private static T Scanned<T, TOperation>(T[] values, int lane, bool inclusive) where T : unmanaged where TOperation : struct, IScanReduceOperation<T>
    {
        var next = new T[values.Length];
        for (int d = 1; d < values.Length; d <<= 1)
        {
            for (int p = 0; p < values.Length; p++)
            {
                next[p] = p >= d ? default(TOperation).Apply(values[p - d], values[p]) : values[p];
            }
            (values, next) = (next, values);
        }
        return inclusive ? values[lane] : lane > 0 ? values[lane - 1] : default(TOperation).Identity;
    }

    /// <summary>This lane's warp's contributions at <paramref name="site"/>, and the lane's index in it.</summary>
    private static (T[] Values, int Lane) WarpValues<T>(int site) where T : unmanaged
    {
        int linear = Group.LinearIndex;
        return (CpuLane.Current.Group.Slots<T>(site).AsSpan(linear - linear % WarpSize, WarpSize).ToArray(), linear % WarpSize);
    }

    /// <summary>What the lane of this warp that <paramref name="source"/> picks (from this lane's index) contributed.</summary>
    private static T FromLane<T>(int site, int width, Func<int, int> source) where T : unmanaged
    {
        if (width < 1 || width > WarpSize || (width & (width - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, $"a shuffle's width must be a power of 2 from 1 to {WarpSize}");
        }
        int linear = Group.LinearIndex;
        return CpuLane.Current.Group.Slots<T>(site)[linear - linear % WarpSize + (source(linear % WarpSize) & (WarpSize - 1))];
    }
}
