namespace GpuConvNet.Compute;

// ILGPU's 2-D and 3-D shared tiles and its dynamic shared memory. Like Allocate, each runs only as generated lane code
// (the CPU accelerator's lanes ask CpuLane for the group's memory); the device code declares the tile itself.
public static partial class SharedMemory
{
    /// <summary>
    /// A group-shared 2-D tile of <paramref name="extent"/> laid out by <paramref name="stride"/>, as ILGPU's
    /// <c>Allocate2D</c>: <c>SharedMemory.Allocate2D&lt;float, Stride2D.DenseX&gt;(new Index2D(16, 16), new Stride2D.DenseX(16))</c>.
    /// The extent and stride are compile-time constants (consts, or SpecializedValue parameters' values).
    /// </summary>
    public static ArrayView2D<T, TStride> Allocate2D<T, TStride>(Index2D extent, TStride stride) where T : unmanaged where TStride : struct, IStride2D =>
        throw OutsideLaneCode($"Allocate2D<{typeof(T).Name}, {typeof(TStride).Name}>");

    /// <summary>A group-shared 2-D tile with X dense, (x, y) at x + y·X.</summary>
    public static ArrayView2D<T, Stride2D.DenseX> Allocate2DDenseX<T>(in Index2D extent) where T : unmanaged =>
        throw OutsideLaneCode($"Allocate2DDenseX<{typeof(T).Name}>");

    /// <summary>A group-shared 2-D tile with Y dense, (x, y) at x·Y + y.</summary>
    public static ArrayView2D<T, Stride2D.DenseY> Allocate2DDenseY<T>(in Index2D extent) where T : unmanaged =>
        throw OutsideLaneCode($"Allocate2DDenseY<{typeof(T).Name}>");

    /// <summary>A group-shared 3-D tile of <paramref name="extent"/> laid out by <paramref name="stride"/>, as ILGPU's <c>Allocate3D</c>.</summary>
    public static ArrayView3D<T, TStride> Allocate3D<T, TStride>(Index3D extent, TStride stride) where T : unmanaged where TStride : struct, IStride3D =>
        throw OutsideLaneCode($"Allocate3D<{typeof(T).Name}, {typeof(TStride).Name}>");

    /// <summary>A group-shared 3-D tile with X, then Y dense, (x, y, z) at x + y·X + z·X·Y.</summary>
    public static ArrayView3D<T, Stride3D.DenseXY> Allocate3DDenseXY<T>(in Index3D extent) where T : unmanaged =>
        throw OutsideLaneCode($"Allocate3DDenseXY<{typeof(T).Name}>");

    /// <summary>A group-shared 3-D tile with Z, then Y dense, (x, y, z) at x·Y·Z + y·Z + z.</summary>
    public static ArrayView3D<T, Stride3D.DenseZY> Allocate3DDenseZY<T>(in Index3D extent) where T : unmanaged =>
        throw OutsideLaneCode($"Allocate3DDenseZY<{typeof(T).Name}>");

    /// <summary>
    /// The group's dynamic shared memory, sized by the launch (<see cref="KernelConfig.SharedMemoryConfig"/>), as
    /// elements of <typeparamref name="T"/>: its length is the bytes requested over the element size (0 when the launch
    /// requests none). Undefined until written, like the other shared memory. A kernel reads it as one element type.
    /// </summary>
    public static ArrayView<T> GetDynamic<T>() where T : unmanaged => throw OutsideLaneCode($"GetDynamic<{typeof(T).Name}>");

    private static InvalidOperationException OutsideLaneCode(string member) =>
        new($"SharedMemory.{member} ran outside generated lane code: call the kernel through an accelerator's Launch");
}
