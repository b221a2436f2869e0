// An ILGPU program, unchanged: here GpuConvNet.Compute's types answer to ILGPU's names (IlgpuSource.targets), and
// tests/GpuConvNet.Porting.IlgpuTests compiles this same file against ILGPU itself and runs it on ILGPU's CPU accelerator.
using ILGPU;
using ILGPU.Runtime;

namespace GpuConvNet.ProofKernels.Porting;

/// <summary>
/// ILGPU's 3-D views, in its idiom: an XY-dense volume in (filled from a <c>T[X, Y, Z]</c>), a ZY-dense one out, and
/// back to XY-dense, indexed by the kernel's Index3D, by <c>new Index3D(x, y, z)</c> and by coordinates.
/// </summary>
public class VolumeSamples
{
    /// <summary>
    /// Each voxel plus twice the one below it in Z (the first plane: itself), plus the extent in Z, the volume's size and
    /// the input's Z stride (its plane, X · Y), each scaled apart.
    /// </summary>
    static void AddBelow(Index3D index, ArrayView3D<int, Stride3D.DenseXY> input, ArrayView3D<int, Stride3D.DenseZY> output)
    {
        int below = index.Z > 0 ? index.Z - 1 : 0;
        output[index] = input[index] + 2 * input[new Index3D(index.X, index.Y, below)] + input.IntExtent.Z * 1000 + (int)output.Length
            + output.BaseView.IntLength + 100000 * input.Stride.ZStride;
    }

    static void ToRows(Index3D index, ArrayView3D<int, Stride3D.DenseZY> input, ArrayView3D<int, Stride3D.DenseXY> output)
    {
        output[index] = input[index.X, index.Y, index.Z];
    }

    /// <summary>Each 2 × 2 × 2 block mirrored through its centre, through a Z-dense shared tile; voxels past the volume read -1.</summary>
    static void MirrorBlocks(ArrayView3D<int, Stride3D.DenseXY> input, ArrayView3D<int, Stride3D.DenseXY> output)
    {
        var tile = SharedMemory.Allocate3D<int, Stride3D.DenseZY>(new Index3D(2, 2, 2), new Stride3D.DenseZY(4, 2));
        bool inside = Grid.GlobalIndex.X < input.IntExtent.X && Grid.GlobalIndex.Y < input.IntExtent.Y && Grid.GlobalIndex.Z < input.IntExtent.Z;
        tile[Group.Index] = inside ? input[Grid.GlobalIndex] : -1;
        Group.Barrier();
        if (inside)
        {
            output[Grid.GlobalIndex] = tile[1 - Group.IdxX, 1 - Group.IdxY, 1 - Group.IdxZ];
        }
    }

    /// <summary><see cref="MirrorBlocks"/> of <paramref name="input"/>, groups of 2 × 2 × 2 lanes over it.</summary>
    public static int[,,] Mirror(Accelerator accelerator, int[,,] input)
    {
        var kernel = accelerator.LoadStreamKernel<ArrayView3D<int, Stride3D.DenseXY>, ArrayView3D<int, Stride3D.DenseXY>>(MirrorBlocks);
        var extent = new Index3D(input.GetLength(0), input.GetLength(1), input.GetLength(2));
        using var source = accelerator.Allocate3DDenseXY<int>(extent);
        using var mirrored = accelerator.Allocate3DDenseXY<int>(extent);
        source.CopyFromCPU(input);
        var groups = new Index3D((extent.X + 1) / 2, (extent.Y + 1) / 2, (extent.Z + 1) / 2);
        kernel((groups, new Index3D(2, 2, 2)), source.View, mirrored.View);
        accelerator.Synchronize();
        return mirrored.GetAsArray3D();
    }

    /// <summary><see cref="Mirror"/>, as a plain C# loop.</summary>
    public static int[,,] MirrorReference(int[,,] input)
    {
        int sizeX = input.GetLength(0), sizeY = input.GetLength(1), sizeZ = input.GetLength(2);
        var result = new int[sizeX, sizeY, sizeZ];
        for (int x = 0; x < sizeX; x++)
        {
            for (int y = 0; y < sizeY; y++)
            {
                for (int z = 0; z < sizeZ; z++)
                {
                    // The partner in the block: x ^ 1 is x's mirror in a block of two.
                    int px = x ^ 1, py = y ^ 1, pz = z ^ 1;
                    result[x, y, z] = px < sizeX && py < sizeY && pz < sizeZ ? input[px, py, pz] : -1;
                }
            }
        }
        return result;
    }

    /// <summary><see cref="AddBelow"/> of <paramref name="input"/> (a <c>T[X, Y, Z]</c>), and the Z-dense buffer's elements as they lie.</summary>
    public static (int[,,] Result, int[] ColumnsAsTheyLie) Run(Accelerator accelerator, int[,,] input)
    {
        var addBelow = accelerator.LoadAutoGroupedStreamKernel<Index3D, ArrayView3D<int, Stride3D.DenseXY>, ArrayView3D<int, Stride3D.DenseZY>>(AddBelow);
        var toRows = accelerator.LoadAutoGroupedStreamKernel<Index3D, ArrayView3D<int, Stride3D.DenseZY>, ArrayView3D<int, Stride3D.DenseXY>>(ToRows);
        var extent = new Index3D(input.GetLength(0), input.GetLength(1), input.GetLength(2));
        using var rows = accelerator.Allocate3DDenseXY<int>(extent);
        using var columns = accelerator.Allocate3DDenseZY<int>(extent);
        using var result = accelerator.Allocate3DDenseXY<int>(extent);
        rows.CopyFromCPU(input);
        addBelow(extent, rows.View, columns.View);
        toRows(extent, columns.View, result.View);
        accelerator.Synchronize();
        return (result.GetAsArray3D(), columns.View.BaseView.GetAsArray());
    }

    /// <summary><see cref="Run"/>, as plain C# loops: the result, and (x, y, z) of a Z-dense buffer at x·Y·Z + y·Z + z.</summary>
    public static (int[,,] Result, int[] ColumnsAsTheyLie) Reference(int[,,] input)
    {
        int sizeX = input.GetLength(0), sizeY = input.GetLength(1), sizeZ = input.GetLength(2);
        var result = new int[sizeX, sizeY, sizeZ];
        var columns = new int[sizeX * sizeY * sizeZ];
        for (int x = 0; x < sizeX; x++)
        {
            for (int y = 0; y < sizeY; y++)
            {
                for (int z = 0; z < sizeZ; z++)
                {
                    result[x, y, z] = input[x, y, z] + 2 * input[x, y, Math.Max(z - 1, 0)] + sizeZ * 1000 + 2 * sizeX * sizeY * sizeZ
                        + 100000 * sizeX * sizeY;
                    columns[(x * sizeY + y) * sizeZ + z] = result[x, y, z];
                }
            }
        }
        return (result, columns);
    }
}
