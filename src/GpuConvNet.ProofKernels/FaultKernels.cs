using GpuConvNet.Compute;

namespace GpuConvNet.ProofKernels;

/// <summary>Deliberately broken kernels: the checking engines (CPU accelerator, Oclgrind) must report them; never run on a GPU.</summary>
public static partial class FaultKernels
{
    /// <summary>Reads x[i + 1]: the last lane reads past the end.</summary>
    [Kernel]
    public static void ReadPastEnd(Index1D i, ArrayView<float> x, ArrayView<float> y)
    {
        y[i] = x[i + 1];
    }

    /// <summary>Lane <paramref name="badLane"/> of group <paramref name="badGroup"/> writes past the end of y.</summary>
    [Kernel]
    public static void WritePastEndInGroup(ArrayView<float> y, int badGroup, int badLane)
    {
        int i = Grid.GlobalIndex.X;
        y[Grid.IdxX == badGroup && Group.IdxX == badLane ? y.Length : i] = 1f;
    }

    /// <summary>Lanes below <paramref name="leaving"/> return before the barrier that the others wait at.</summary>
    [Kernel]
    public static void ReturnBeforeBarrier(ArrayView<float> y, int leaving)
    {
        var shared = SharedMemory.Allocate<float>(32);
        if (Group.IdxX < leaving)
        {
            return;
        }
        shared[Group.IdxX] = 1f;
        Group.Barrier();
        y[Grid.GlobalIndex.X] = shared[0];
    }

    /// <summary>Even and odd lanes wait at different barriers.</summary>
    [Kernel]
    public static void SplitBarriers(ArrayView<float> y)
    {
        if (Group.IdxX % 2 == 0)
        {
            Group.Barrier();
        }
        else
        {
            Group.Barrier();
        }
        y[Grid.GlobalIndex.X] = 1f;
    }

    /// <summary>
    /// Each lane writes its own shared slot and reads its neighbour's with no barrier between: a race that PoCL (which
    /// runs a group's lanes in order between barriers) never shows and a GPU shows at random.
    /// </summary>
    [Kernel]
    public static void MissingBarrier(ArrayView<float> x, ArrayView<float> y)
    {
        var shared = SharedMemory.Allocate<float>(64);
        int lane = Group.IdxX;
        shared[lane] = x[Grid.GlobalIndex.X];
        y[Grid.GlobalIndex.X] = shared[(lane + 1) % Group.DimX];
    }

    /// <summary>
    /// Only the first half of the group writes its shared slot, then every lane reads its own after the barrier: no race,
    /// but half the lanes read shared memory nothing wrote (garbage on a GPU, zeros on PoCL, NaN on the CPU accelerator).
    /// </summary>
    [Kernel]
    public static void ReadSharedBeforeWrite(ArrayView<float> y)
    {
        var shared = SharedMemory.Allocate<float>(64);
        int lane = Group.IdxX;
        if (lane < Group.DimX / 2)
        {
            shared[lane] = 1f;
        }
        Group.Barrier();
        y[Grid.GlobalIndex.X] = shared[lane];
    }
}
