// An ILGPU program, unchanged: here GpuConvNet.Compute's types answer to ILGPU's names (IlgpuSource.targets), and
// tests/GpuConvNet.Porting.IlgpuTests compiles this same file against ILGPU itself and runs it on ILGPU's CPU accelerator.
using ILGPU;
using ILGPU.Runtime;

namespace GpuConvNet.ProofKernels.Porting;

/// <summary>
/// ILGPU's dynamic shared memory, in its idiom: the launch sizes the group's shared array
/// (<c>SharedMemoryConfig.RequestDynamic&lt;int&gt;(n)</c> in its KernelConfig), the kernel takes it with
/// <c>SharedMemory.GetDynamic&lt;int&gt;()</c>.
/// </summary>
public class DynamicSharedSample
{
    /// <summary>Each group's values in reverse lane order (lanes past the end read -1); each group's first lane writes the shared array's length.</summary>
    static void ReverseGroups(ArrayView<int> values, ArrayView<int> reversed, ArrayView<int> lengths)
    {
        var buffer = SharedMemory.GetDynamic<int>();
        int i = Grid.GlobalIndex.X;
        buffer[Group.IdxX] = i < values.IntLength ? values[i] : -1;
        Group.Barrier();
        if (i < values.IntLength)
        {
            reversed[i] = buffer[Group.DimX - 1 - Group.IdxX];
        }
        if (Group.IsFirstThread)
        {
            lengths[Grid.IdxX] = buffer.IntLength;
        }
    }

    /// <summary>
    /// <see cref="ReverseGroups"/> over <paramref name="values"/> in groups of <paramref name="groupSize"/>, with
    /// <paramref name="sharedElements"/> ints of dynamic shared memory per group: (reversed, length per group).
    /// </summary>
    public static (int[] Reversed, int[] Lengths) Run(Accelerator accelerator, int[] values, int groupSize, int sharedElements)
    {
        var kernel = accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<int>, ArrayView<int>>(ReverseGroups);
        int groups = (values.Length + groupSize - 1) / groupSize;
        using var input = accelerator.Allocate1D(values);
        using var reversed = accelerator.Allocate1D<int>(values.Length);
        using var lengths = accelerator.Allocate1D<int>(groups);
        kernel(new KernelConfig(groups, groupSize, SharedMemoryConfig.RequestDynamic<int>(sharedElements)), input.View, reversed.View, lengths.View);
        accelerator.Synchronize();
        return (reversed.GetAsArray1D(), lengths.GetAsArray1D());
    }

    /// <summary><see cref="Run"/>, as a plain C# loop.</summary>
    public static (int[] Reversed, int[] Lengths) Reference(int[] values, int groupSize, int sharedElements)
    {
        int groups = (values.Length + groupSize - 1) / groupSize;
        var reversed = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            int group = i / groupSize;
            int source = group * groupSize + groupSize - 1 - i % groupSize;
            reversed[i] = source < values.Length ? values[source] : -1;
        }
        return (reversed, Enumerable.Repeat(sharedElements, groups).ToArray());
    }
}
