namespace GpuConvNet.Compute;

/// <summary>
/// ILGPU.Algorithms' group-wide reductions and scans, written as in ILGPU
/// (<c>GroupExtensions.Reduce&lt;float, AddFloat&gt;(x)</c>), with its operations (<see cref="AddFloat"/>,
/// <see cref="MaxInt32"/>, …). Every engine goes through shared memory between group barriers (a tree for reductions,
/// Hillis–Steele for scans), in one order, so that floats come out the same everywhere. As the group collectives:
/// explicitly grouped kernels only, in the kernel's own body, as a statement of its own, reached by every lane; groups
/// of at most 1,024 lanes (one shared slot per lane, sized when the kernel compiles).
/// </summary>
public static class GroupExtensions
{
    /// <summary>The group's <paramref name="value"/>s combined; ILGPU promises it to the first warp (here every lane has it).</summary>
    public static T Reduce<T, TReduction>(T value) where T : unmanaged where TReduction : struct, IScanReduceOperation<T> =>
        throw OutsideLaneCode("GroupExtensions.Reduce");

    /// <summary>The group's <paramref name="value"/>s combined, in every lane.</summary>
    public static T AllReduce<T, TReduction>(T value) where T : unmanaged where TReduction : struct, IScanReduceOperation<T> =>
        throw OutsideLaneCode("GroupExtensions.AllReduce");

    /// <summary>The values of the lanes before this one (by <see cref="Group.LinearIndex"/>) combined; the identity in lane 0.</summary>
    public static T ExclusiveScan<T, TScanOperation>(T value) where T : unmanaged where TScanOperation : struct, IScanReduceOperation<T> =>
        throw OutsideLaneCode("GroupExtensions.ExclusiveScan");

    /// <summary>The values of the lanes up to and including this one (by <see cref="Group.LinearIndex"/>) combined.</summary>
    public static T InclusiveScan<T, TScanOperation>(T value) where T : unmanaged where TScanOperation : struct, IScanReduceOperation<T> =>
        throw OutsideLaneCode("GroupExtensions.InclusiveScan");

    internal static InvalidOperationException OutsideLaneCode(string member) =>
        new($"{member}() ran outside generated lane code: call the kernel through an accelerator's launch");
}

/// <summary>
/// ILGPU.Algorithms' warp-wide reductions and scans (<c>WarpExtensions.Reduce&lt;int, AddInt32&gt;(x)</c>): CUDA shuffles
/// in registers; OpenCL 1.2 and the CPU accelerator go through shared memory, combining in the same order. The rules of
/// <see cref="Warp"/> apply.
/// </summary>
public static class WarpExtensions
{
    /// <summary>The warp's <paramref name="value"/>s combined; ILGPU promises it to lane 0 (here every lane has it).</summary>
    public static T Reduce<T, TReduction>(T value) where T : unmanaged where TReduction : struct, IScanReduceOperation<T> =>
        throw GroupExtensions.OutsideLaneCode("WarpExtensions.Reduce");

    /// <summary>The warp's <paramref name="value"/>s combined, in every lane of the warp.</summary>
    public static T AllReduce<T, TReduction>(T value) where T : unmanaged where TReduction : struct, IScanReduceOperation<T> =>
        throw GroupExtensions.OutsideLaneCode("WarpExtensions.AllReduce");

    /// <summary>The values of the warp's lanes before this one combined; the identity in lane 0.</summary>
    public static T ExclusiveScan<T, TScan>(T value) where T : unmanaged where TScan : struct, IScanReduceOperation<T> =>
        throw GroupExtensions.OutsideLaneCode("WarpExtensions.ExclusiveScan");

    /// <summary>The values of the warp's lanes up to and including this one combined.</summary>
    public static T InclusiveScan<T, TScan>(T value) where T : unmanaged where TScan : struct, IScanReduceOperation<T> =>
        throw GroupExtensions.OutsideLaneCode("WarpExtensions.InclusiveScan");
}
