// An ILGPU program, unchanged: here GpuConvNet.Compute's types answer to ILGPU's names (IlgpuSource.targets), and
// tests/GpuConvNet.Porting.IlgpuTests compiles this same file against ILGPU itself and runs it on ILGPU's CPU accelerator.
using ILGPU;
using ILGPU.Runtime;

namespace GpuConvNet.ProofKernels.Porting;

/// <summary>
/// ILGPU's explicitly grouped samples, in its idiom: shared memory (an array and one element), group and grid
/// indices, group collectives and atomics, launched through LoadStreamKernel and LoadKernel with ILGPU's tuple form of
/// the launch shape.
/// </summary>
public class GroupSamples
{
    const int Bins = 8;

    /// <summary>
    /// Each group counts its values into shared bins (value mod 8), then adds them to bins; the group's first lane also
    /// adds the group's lane count, counted in one shared element, to bins[8].
    /// </summary>
    static void Histogram(ArrayView<int> values, ArrayView<int> bins)
    {
        var local = SharedMemory.Allocate<int>(Bins);
        ref int lanes = ref SharedMemory.Allocate<int>();
        if (Group.IsFirstThread)
        {
            lanes = 0;
        }
        if (Group.IdxX < Bins)
        {
            local[Group.IdxX] = 0;
        }
        Group.Barrier();
        int i = Grid.GlobalIndex.X;
        if (i < values.IntLength)
        {
            Atomic.Add(ref local[values[i] % Bins], 1);
            Atomic.Add(ref lanes, 1);
        }
        Group.Barrier();
        if (Group.IdxX < Bins)
        {
            Atomic.Add(ref bins[Group.IdxX], local[Group.IdxX]);
        }
        if (Group.IsFirstThread)
        {
            Atomic.Add(ref bins[Bins], lanes);
        }
    }

    /// <summary>Counts of non-negative values mod 8 in bins[0..7], and how many values there were in bins[8].</summary>
    public static int[] CountBins(Accelerator accelerator, int[] values, int groupSize)
    {
        var kernel = accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<int>>(Histogram);
        using var input = accelerator.Allocate1D(values);
        using var bins = accelerator.Allocate1D<int>(Bins + 1);
        bins.MemSetToZero();
        int groups = (values.Length + groupSize - 1) / groupSize;
        kernel((groups, groupSize), input.View, bins.View);
        accelerator.Synchronize();
        return bins.GetAsArray1D();
    }

    /// <summary>
    /// Per group g (of Group.Dimension.X lanes): facts[4g..4g+3] = (all values positive), (any value above 90), how
    /// many are even, and the value of the group's last lane — each as every lane saw it, checked to agree.
    /// </summary>
    static void Vote(ArrayView<int> values, ArrayView<int> facts, ArrayView<int> disagreements)
    {
        int v = values[Grid.GlobalIndex.X];
        bool all = Group.BarrierAnd(v > 0);
        bool any = Group.BarrierOr(v > 90);
        int even = Group.BarrierPopCount(v % 2 == 0);
        int last = Group.Broadcast(v, Group.Dimension.X - 1);
        if (Group.IsLastThread)
        {
            facts[4 * Grid.IdxX] = all ? 1 : 0;
            facts[4 * Grid.IdxX + 1] = any ? 1 : 0;
            facts[4 * Grid.IdxX + 2] = even;
            facts[4 * Grid.IdxX + 3] = last;
        }
        if (last != v && Group.IsLastThread)
        {
            Atomic.Add(ref disagreements[0], 1);
        }
    }

    /// <summary>The facts of <see cref="Vote"/> per group, and how often the last lane's own value differed from the broadcast.</summary>
    public static (int[] Facts, int Disagreements) Votes(Accelerator accelerator, int[] values, int groupSize)
    {
        var kernel = accelerator.LoadKernel<ArrayView<int>, ArrayView<int>, ArrayView<int>>(Vote);
        int groups = values.Length / groupSize;
        using var input = accelerator.Allocate1D(values);
        using var facts = accelerator.Allocate1D<int>(4 * groups);
        using var disagreements = accelerator.Allocate1D<int>(1);
        disagreements.MemSetToZero();
        kernel(accelerator.DefaultStream, (new Index1D(groups), new Index1D(groupSize)), input.View, facts.View, disagreements.View);
        accelerator.DefaultStream.Synchronize();
        return (facts.GetAsArray1D(), disagreements.GetAsArray1D()[0]);
    }

    /// <summary><see cref="CountBins"/>, as a plain C# loop.</summary>
    public static int[] CountBinsReference(int[] values) =>
        Enumerable.Range(0, Bins).Select(b => values.Count(v => v % Bins == b)).Append(values.Length).ToArray();

    /// <summary><see cref="Votes"/>' facts, as a plain C# loop.</summary>
    public static int[] VotesReference(int[] values, int groupSize) =>
        Enumerable.Range(0, values.Length / groupSize).SelectMany(g =>
        {
            var group = values.Skip(g * groupSize).Take(groupSize).ToArray();
            return new[] { group.All(v => v > 0) ? 1 : 0, group.Any(v => v > 90) ? 1 : 0, group.Count(v => v % 2 == 0), group[^1] };
        }).ToArray();
}
