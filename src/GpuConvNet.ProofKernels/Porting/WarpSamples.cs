// An ILGPU program, unchanged: here GpuConvNet.Compute's types answer to ILGPU's names (IlgpuSource.targets), and
// tests/GpuConvNet.Porting.IlgpuTests compiles this same file against ILGPU itself and runs it on ILGPU's CPU accelerator.
using ILGPU;
using ILGPU.Runtime;

namespace GpuConvNet.ProofKernels.Porting;

/// <summary>
/// ILGPU's warp intrinsics, in its idiom: a warp sum by shuffling down, and every other member of Warp, each lane
/// writing what it read. Warps are as wide as the accelerator says (<c>accelerator.WarpSize</c>: 32 on our engines, 4 on
/// ILGPU's CPU accelerator); groups are a whole number of them.
/// </summary>
public class WarpSamples
{
    const int MaxGroupSize = 256;

    /// <summary>What each lane writes in <see cref="Neighbours"/>.</summary>
    public const int Facts = 10;

    /// <summary>Each warp sums its values, halving the distance it shuffles down; lane 0 writes the warp's sum.</summary>
    static void WarpSum(ArrayView<int> values, ArrayView<int> sums)
    {
        int i = Grid.GlobalIndex.X;
        // Lanes past the end still shuffle (every lane of a warp takes part), with nothing to add.
        int value = i < values.IntLength ? values[i] : 0;
        for (int offset = Warp.WarpSize / 2; offset > 0; offset /= 2)
        {
            value += Warp.ShuffleDown(value, offset);
        }
        if (Warp.IsFirstLane)
        {
            sums[i / Warp.WarpSize] = value;
        }
    }

    /// <summary>Lane by lane, what it reads from the others in its warp and where it is (<see cref="Facts"/> values).</summary>
    static void Neighbours(ArrayView<int> values, ArrayView<int> seen)
    {
        var tile = SharedMemory.Allocate<int>(MaxGroupSize);
        int i = Grid.GlobalIndex.X;
        int v = values[i];
        int next = Warp.ShuffleDown(v, 1);
        int previous = Warp.ShuffleUp(v, 1);
        int partner = Warp.ShuffleXor(v, 1);
        // A source lane past the warp wraps on CUDA (and here), but gives the lane's own value on ILGPU's CPU
        // accelerator: portable code keeps it in the warp.
        int rotated = Warp.Shuffle(v, (Warp.LaneIdx + 3) % Warp.WarpSize);
        int last = Warp.Broadcast(v, Warp.WarpSize - 1);
        int inPairs = Warp.ShuffleDown(v, 1, 2);
        tile[Group.IdxX] = v;
        Warp.Barrier();
        int mirrored = tile[Group.IdxX - Warp.LaneIdx + Warp.WarpSize - 1 - Warp.LaneIdx];
        seen[Facts * i] = next;
        seen[Facts * i + 1] = previous;
        seen[Facts * i + 2] = partner;
        seen[Facts * i + 3] = rotated;
        seen[Facts * i + 4] = last;
        seen[Facts * i + 5] = inPairs;
        seen[Facts * i + 6] = mirrored;
        seen[Facts * i + 7] = Warp.WarpIdx * 100 + Warp.LaneIdx;
        seen[Facts * i + 8] = Warp.ComputeWarpIdx(Group.IdxX) * 100 + Warp.ComputeWarpThreadIdx(Group.IdxX);
        seen[Facts * i + 9] = (Warp.IsFirstLane ? 1 : 0) + (Warp.IsLastLane ? 2 : 0);
    }

    /// <summary>The sum of each warp's values (0 past the end), in groups of <paramref name="groupSize"/> lanes.</summary>
    public static int[] WarpSums(Accelerator accelerator, int[] values, int groupSize)
    {
        var kernel = accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<int>>(WarpSum);
        int groups = (values.Length + groupSize - 1) / groupSize;
        using var input = accelerator.Allocate1D(values);
        using var sums = accelerator.Allocate1D<int>(groups * groupSize / accelerator.WarpSize);
        kernel((groups, groupSize), input.View, sums.View);
        accelerator.Synchronize();
        return sums.GetAsArray1D();
    }

    /// <summary><see cref="Facts"/> values per lane (see <see cref="Neighbours"/>); values fill whole groups.</summary>
    public static int[] Seen(Accelerator accelerator, int[] values, int groupSize)
    {
        var kernel = accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<int>>(Neighbours);
        using var input = accelerator.Allocate1D(values);
        using var seen = accelerator.Allocate1D<int>(Facts * values.Length);
        kernel((values.Length / groupSize, groupSize), input.View, seen.View);
        accelerator.Synchronize();
        return seen.GetAsArray1D();
    }

    /// <summary><see cref="WarpSums"/> as a plain C# loop.</summary>
    public static int[] WarpSumsReference(int[] values, int groupSize, int warpSize)
    {
        int groups = (values.Length + groupSize - 1) / groupSize;
        var sums = new int[groups * groupSize / warpSize];
        for (int i = 0; i < values.Length; i++)
        {
            sums[i / warpSize] += values[i];
        }
        return sums;
    }

    /// <summary><see cref="Seen"/> as a plain C# loop, by CUDA's rules for shuffles that leave the warp (or the run of 2).</summary>
    public static int[] SeenReference(int[] values, int groupSize, int warpSize)
    {
        var seen = new int[Facts * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            int inGroup = i % groupSize;
            int lane = inGroup % warpSize;
            int first = i - lane;
            int where = inGroup / warpSize * 100 + lane;
            int[] facts =
            [
                lane + 1 < warpSize ? values[i + 1] : values[i],
                lane > 0 ? values[i - 1] : values[i],
                values[first + (lane ^ 1)],
                values[first + (lane + 3) % warpSize],
                values[first + warpSize - 1],
                lane % 2 == 0 ? values[i + 1] : values[i],
                values[first + warpSize - 1 - lane],
                where,
                where,
                (lane == 0 ? 1 : 0) + (lane == warpSize - 1 ? 2 : 0),
            ];
            facts.CopyTo(seen, Facts * i);
        }
        return seen;
    }
}
