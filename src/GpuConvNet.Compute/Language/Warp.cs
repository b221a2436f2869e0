using GpuConvNet.Compute.Cpu;

namespace GpuConvNet.Compute;

/// <summary>
/// ILGPU's warp intrinsics: the lanes of a group in runs of <see cref="WarpSize"/> (its linear index divided by the
/// warp size is the warp, the remainder the lane), shuffling values among themselves. On CUDA these are the hardware's
/// <c>__shfl_*_sync</c> and <c>__syncwarp</c>; OpenCL 1.2 has no shuffles, so there (and on the CPU accelerator) each
/// goes through one shared slot per lane between two group barriers, with the same results. Hence, as for the group
/// collectives: explicitly grouped kernels only, in the kernel's own body, as a statement of its own, reached by every
/// lane of the group (uniform control flow), and groups a whole number of warps (the launch checks).
/// </summary>
public static class Warp
{
    /// <summary>
    /// Lanes per warp on our engines: CUDA's, and the same on OpenCL and the CPU accelerator, so that a kernel splits its
    /// groups the same way, and reduces floats in the same order, everywhere. ILGPU's engines have their own
    /// (<see cref="Accelerator.WarpSize"/>: 4 on ILGPU's CPU accelerator).
    /// </summary>
    internal const int Size = 32;

    /// <summary>Lanes per warp: 32 on our engines (<see cref="Accelerator.WarpSize"/> says, per engine).</summary>
    public static int WarpSize => Size;

    /// <summary>The lane's index in its warp, 0 … WarpSize − 1: <see cref="Group.LinearIndex"/> mod WarpSize.</summary>
    public static int LaneIdx => Group.LinearIndex % Size;

    /// <summary>The lane's warp in its group: <see cref="Group.LinearIndex"/> / WarpSize.</summary>
    public static int WarpIdx => Group.LinearIndex / Size;

    /// <summary>True for lane 0 of each warp.</summary>
    public static bool IsFirstLane => LaneIdx == 0;

    /// <summary>True for lane WarpSize − 1 of each warp.</summary>
    public static bool IsLastLane => LaneIdx == Size - 1;

    /// <summary>The warp of the lane with index <paramref name="groupThreadIdx"/> in its group.</summary>
    public static int ComputeWarpIdx(Index1D groupThreadIdx) => groupThreadIdx.X / Size;

    /// <summary>The lane in its warp of the lane with index <paramref name="groupThreadIdx"/> in its group.</summary>
    public static int ComputeWarpThreadIdx(Index1D groupThreadIdx) => groupThreadIdx.X % Size;

    /// <summary>Waits until every lane of the warp gets here (a group barrier on OpenCL and the CPU accelerator).</summary>
    public static void Barrier() => throw OutsideLaneCode("Barrier");

    /// <summary>The <paramref name="value"/> of lane <paramref name="sourceLane"/> (mod WarpSize) of this warp.</summary>
    public static T Shuffle<T>(T value, int sourceLane) where T : unmanaged => throw OutsideLaneCode("Shuffle");

    /// <summary>
    /// The <paramref name="value"/> of lane <paramref name="sourceLane"/> (mod <paramref name="width"/>) of this lane's
    /// run of <paramref name="width"/> lanes (a power of 2 up to WarpSize).
    /// </summary>
    public static T Shuffle<T>(T value, int sourceLane, int width) where T : unmanaged => throw OutsideLaneCode("Shuffle");

    /// <summary>The <paramref name="value"/> of lane LaneIdx + <paramref name="delta"/>; past the warp's end, this lane's own.</summary>
    public static T ShuffleDown<T>(T value, int delta) where T : unmanaged => throw OutsideLaneCode("ShuffleDown");

    /// <summary>As <see cref="ShuffleDown{T}(T, int)"/> within runs of <paramref name="width"/> lanes.</summary>
    public static T ShuffleDown<T>(T value, int delta, int width) where T : unmanaged => throw OutsideLaneCode("ShuffleDown");

    /// <summary>The <paramref name="value"/> of lane LaneIdx − <paramref name="delta"/>; before the warp's start, this lane's own.</summary>
    public static T ShuffleUp<T>(T value, int delta) where T : unmanaged => throw OutsideLaneCode("ShuffleUp");

    /// <summary>As <see cref="ShuffleUp{T}(T, int)"/> within runs of <paramref name="width"/> lanes.</summary>
    public static T ShuffleUp<T>(T value, int delta, int width) where T : unmanaged => throw OutsideLaneCode("ShuffleUp");

    /// <summary>The <paramref name="value"/> of lane LaneIdx xor <paramref name="mask"/>.</summary>
    public static T ShuffleXor<T>(T value, int mask) where T : unmanaged => throw OutsideLaneCode("ShuffleXor");

    /// <summary>
    /// As <see cref="ShuffleXor{T}(T, int)"/> within runs of <paramref name="width"/> lanes: a lane past the end of this
    /// lane's run gives this lane's own value (CUDA's rule).
    /// </summary>
    public static T ShuffleXor<T>(T value, int mask, int width) where T : unmanaged => throw OutsideLaneCode("ShuffleXor");

    /// <summary>Lane <paramref name="sourceLane"/>'s <paramref name="value"/>, in every lane of the warp.</summary>
    public static T Broadcast<T>(T value, int sourceLane) where T : unmanaged => throw OutsideLaneCode("Broadcast");

    private static InvalidOperationException OutsideLaneCode(string member) =>
        new($"Warp.{member}() ran outside generated lane code: call the kernel through an accelerator's launch");
}
