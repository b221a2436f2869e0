namespace GpuConvNet.Compute;

// ILGPU's 3-D buffers over this accelerator's 1-D ones (docs/porting-from-ilgpu.md).
public abstract partial class Accelerator
{
    /// <summary>ILGPU's name: an X × Y × Z buffer with X, then Y dense, (x, y, z) at x + y·X + z·X·Y.</summary>
    public MemoryBuffer3D<T, Stride3D.DenseXY> Allocate3DDenseXY<T>(Index3D extent) where T : unmanaged =>
        new(Allocate<T>(Elements(extent)), extent, new Stride3D.DenseXY(extent.X, extent.X * extent.Y));

    /// <summary>ILGPU's name: an X × Y × Z buffer with Z, then Y dense, (x, y, z) at x·Y·Z + y·Z + z.</summary>
    public MemoryBuffer3D<T, Stride3D.DenseZY> Allocate3DDenseZY<T>(Index3D extent) where T : unmanaged =>
        new(Allocate<T>(Elements(extent)), extent, new Stride3D.DenseZY(extent.Y * extent.Z, extent.Z));

    private static int Elements(Index3D extent)
    {
        if (extent.X < 0 || extent.Y < 0 || extent.Z < 0 || extent.Size > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(extent),
                $"a 3-D buffer of ({extent.X}, {extent.Y}, {extent.Z}): views here hold 0 to {int.MaxValue} elements");
        }
        return (int)extent.Size;
    }
}
