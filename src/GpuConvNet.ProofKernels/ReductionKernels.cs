using GpuConvNet.Compute;

namespace GpuConvNet.ProofKernels;

/// <summary>A grouped reduction: shared memory, barriers and a float atomic.</summary>
public static partial class ReductionKernels
{
    /// <summary>Lanes per group that <see cref="GroupSum"/> expects.</summary>
    public const int GroupSize = 256;

    /// <summary>Adds every element of x into total[0]. Launch with groups of <see cref="GroupSize"/>.</summary>
    [Kernel]
    public static void GroupSum(ArrayView<float> x, ArrayView<float> total)
    {
        var partial = SharedMemory.Allocate<float>(GroupSize);
        int lane = Group.IdxX;
        int i = Grid.GlobalIndex.X;
        partial[lane] = i < x.Length ? x[i] : 0f;
        Group.Barrier();
        // Tree reduction: halve the active lanes each step; the barrier is outside the if, so every lane reaches it.
        for (int stride = Group.DimX / 2; stride > 0; stride >>= 1)
        {
            if (lane < stride)
            {
                partial[lane] += partial[lane + stride];
            }
            Group.Barrier();
        }
        if (lane == 0)
        {
            Atomic.Add(ref total[0], partial[0]);
        }
    }

    /// <summary>Counts, in counts[v], the elements of values equal to v (an int atomic histogram).</summary>
    [Kernel]
    public static void Histogram(Index1D i, ArrayView<int> values, ArrayView<int> counts)
    {
        int v = values[i];
        if (v >= 0 && v < counts.Length)
        {
            Atomic.Add(ref counts[v], 1);
        }
    }

    /// <summary>
    /// Every 32-bit atomic of the kernel language from many lanes at once. results: [0] min, [1] max, [2] the last
    /// value exchanged in, [3] a counter each lane increments by compare-and-swap; bits: [0] and, [1] or, [2] xor of
    /// the values; olds[i] what lane i's exchange took out. values, olds: (n).
    /// </summary>
    [Kernel]
    public static void AtomicMix(Index1D i, ArrayView<int> values, ArrayView<int> results, ArrayView<uint> bits, ArrayView<int> olds)
    {
        int v = values[i];
        Atomic.Min(ref results[0], v);
        Atomic.Max(ref results[1], v);
        Atomic.And(ref bits[0], (uint)v);
        Atomic.Or(ref bits[1], (uint)v);
        Atomic.Xor(ref bits[2], (uint)v);
        olds[i] = Atomic.Exchange(ref results[2], v);
        // Guess, and retry with what each failed swap found: no plain read of a location others swap (a race).
        int guess = 0;
        int found = Atomic.CompareExchange(ref results[3], guess, guess + 1);
        while (found != guess)
        {
            guess = found;
            found = Atomic.CompareExchange(ref results[3], guess, guess + 1);
        }
    }

    /// <summary>
    /// What each lane knows of its place, as ILGPU names it: facts[Grid.LinearIndex · lanes per group +
    /// Group.LinearIndex] = Group.LinearIndex + 1000 · Grid.LinearIndex + 10⁶ · (first lane) + 2·10⁶ · (last lane)
    /// + 4·10⁶ · (Group.Index, Group.Dimension, Grid.Index, Grid.Dimension agree with IdxX…, DimX…).
    /// </summary>
    [Kernel]
    public static void GroupFacts(ArrayView<int> facts)
    {
        int lane = Group.LinearIndex;
        int group = Grid.LinearIndex;
        int lanes = Group.Dimension.X * Group.Dimension.Y * Group.Dimension.Z;
        bool agree = Group.Index.X == Group.IdxX && Group.Index.Y == Group.IdxY && Group.Index.Z == Group.IdxZ
            && Group.Dimension.Y == Group.DimY && Grid.Index.X == Grid.IdxX && Grid.Index.Z == Grid.IdxZ
            && Grid.Dimension.X == Grid.DimX && Grid.Dimension.Y == Grid.DimY;
        int flags = (Group.IsFirstThread ? 1 : 0) + (Group.IsLastThread ? 2 : 0) + (agree ? 4 : 0);
        facts[group * lanes + lane] = lane + 1000 * group + 1_000_000 * flags;
    }

    /// <summary>
    /// ILGPU's group collectives, each read in every lane. Lane i (counted over the grid: group · lanes + lane) writes
    /// votes[4i..4i+3] = (every lane's value &gt; 0), (any value &gt; 90), Σ over r = 0, 1, 2 of (r + 1) · (lanes with
    /// (value + r) % 3 == 0) (one call site in a loop, so its slot is reused), and the value of lane (group · 7) % lanes;
    /// broadcasts[i] = x of the group's last lane. values, x: (groups · lanes); votes: (4 · groups · lanes).
    /// </summary>
    [Kernel]
    public static void GroupVotes(ArrayView<int> values, ArrayView<float> x, ArrayView<int> votes, ArrayView<float> broadcasts)
    {
        int lanes = Group.Dimension.X * Group.Dimension.Y * Group.Dimension.Z;
        int i = Grid.LinearIndex * lanes + Group.LinearIndex;
        int v = values[i];
        bool all = Group.BarrierAnd(v > 0);
        bool any = Group.BarrierOr(v > 90);
        int thirds = 0;
        for (int r = 0; r < 3; r++)
        {
            int count = Group.BarrierPopCount((v + r) % 3 == 0);
            thirds += count * (r + 1);
        }
        int fromSource = Group.Broadcast(v, Grid.LinearIndex * 7 % lanes);
        float last = Group.Broadcast(x[i], lanes - 1);
        votes[4 * i] = all ? 1 : 0;
        votes[4 * i + 1] = any ? 1 : 0;
        votes[4 * i + 2] = thirds;
        votes[4 * i + 3] = fromSource;
        broadcasts[i] = last;
    }

    /// <summary>
    /// counts[g] = how many of group g's values are odd, counted in one shared element (ILGPU's <c>ref T
    /// SharedMemory.Allocate&lt;T&gt;()</c>) with an atomic. values: (n); counts: (groups); 1-D groups.
    /// </summary>
    [Kernel]
    public static void SharedCounter(ArrayView<int> values, ArrayView<int> counts)
    {
        ref int odd = ref SharedMemory.Allocate<int>();
        int i = Grid.GlobalIndex.X;
        if (Group.IsFirstThread)
        {
            odd = 0;
        }
        Group.Barrier();
        if (i < values.Length && values[i] % 2 != 0)
        {
            Atomic.Add(ref odd, 1);
        }
        Group.Barrier();
        if (Group.IsFirstThread)
        {
            counts[Grid.IdxX] = odd;
        }
    }
}
