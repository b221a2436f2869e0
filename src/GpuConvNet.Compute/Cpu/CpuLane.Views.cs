using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace GpuConvNet.Compute.Cpu;

// The group memory behind ILGPU's 2-D and 3-D shared tiles and its dynamic shared memory, which generated lane code
// asks for where the kernel calls SharedMemory.Allocate2D/3D (and their Dense forms) or GetDynamic.
public sealed partial class CpuLane
{
    /// <summary>The group's 2-D tile for the <c>SharedMemory.Allocate2D</c> call at <paramref name="site"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static ArrayView2D<T, TStride> Shared2D<T, TStride>(Index2D extent, TStride stride, int site) where T : unmanaged where TStride : struct, IStride2D
    {
        int length = extent.X == 0 || extent.Y == 0 ? 0 : (extent.X - 1) * stride.XStride + (extent.Y - 1) * stride.YStride + 1;
        return new ArrayView2D<T, TStride>(Shared<T>(length, site), extent, stride);
    }

    /// <summary>The group's X-dense 2-D tile for the <c>SharedMemory.Allocate2DDenseX</c> call at <paramref name="site"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static ArrayView2D<T, Stride2D.DenseX> Shared2DDenseX<T>(Index2D extent, int site) where T : unmanaged =>
        Shared2D<T, Stride2D.DenseX>(extent, new Stride2D.DenseX(extent.X), site);

    /// <summary>The group's Y-dense 2-D tile for the <c>SharedMemory.Allocate2DDenseY</c> call at <paramref name="site"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static ArrayView2D<T, Stride2D.DenseY> Shared2DDenseY<T>(Index2D extent, int site) where T : unmanaged =>
        Shared2D<T, Stride2D.DenseY>(extent, new Stride2D.DenseY(extent.Y), site);

    /// <summary>The group's 3-D tile for the <c>SharedMemory.Allocate3D</c> call at <paramref name="site"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static ArrayView3D<T, TStride> Shared3D<T, TStride>(Index3D extent, TStride stride, int site) where T : unmanaged where TStride : struct, IStride3D
    {
        int length = extent.X == 0 || extent.Y == 0 || extent.Z == 0 ? 0
            : (extent.X - 1) * stride.XStride + (extent.Y - 1) * stride.YStride + (extent.Z - 1) * stride.ZStride + 1;
        return new ArrayView3D<T, TStride>(Shared<T>(length, site), extent, stride);
    }

    /// <summary>The group's XY-dense 3-D tile for the <c>SharedMemory.Allocate3DDenseXY</c> call at <paramref name="site"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static ArrayView3D<T, Stride3D.DenseXY> Shared3DDenseXY<T>(Index3D extent, int site) where T : unmanaged =>
        Shared3D<T, Stride3D.DenseXY>(extent, new Stride3D.DenseXY(extent.X, extent.X * extent.Y), site);

    /// <summary>The group's ZY-dense 3-D tile for the <c>SharedMemory.Allocate3DDenseZY</c> call at <paramref name="site"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static ArrayView3D<T, Stride3D.DenseZY> Shared3DDenseZY<T>(Index3D extent, int site) where T : unmanaged =>
        Shared3D<T, Stride3D.DenseZY>(extent, new Stride3D.DenseZY(extent.Y * extent.Z, extent.Z), site);

    /// <summary>The group's dynamic shared memory as <typeparamref name="T"/> (SharedMemory.GetDynamic).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static ArrayView<T> Dynamic<T>() where T : unmanaged => Current.Group.Dynamic<T>();
}

internal sealed partial class CpuGroup
{
    // Every GetDynamic call of a kernel shares one array (the generator allows one element type per kernel).
    private const int DynamicSite = -1;

    /// <summary>The launch's dynamic shared memory, as many elements of <typeparamref name="T"/> as its bytes hold.</summary>
    public ArrayView<T> Dynamic<T>() where T : unmanaged => Shared<T>((int)(dynamicBytes / Unsafe.SizeOf<T>()), DynamicSite);
}
