// An ILGPU program, unchanged: here GpuConvNet.Compute's types answer to ILGPU's names (IlgpuSource.targets), and
// tests/GpuConvNet.Porting.IlgpuTests compiles this same file against ILGPU itself and runs it on ILGPU's CPU accelerator.
using ILGPU;
using ILGPU.Runtime;

namespace GpuConvNet.ProofKernels.Porting;

/// <summary>
/// ILGPU's tiled matrix multiply, in its idiom: two 2-D shared tiles (one X-dense through Allocate2D with its stride,
/// one Y-dense through Allocate2DDenseY), a row of a tile as a SubView, 2-D groups; and a block of a 2-D view as a
/// SubView of a kernel parameter. Host arrays are <c>T[X, Y]</c>, read as <c>array[x, y]</c>.
/// </summary>
public class TiledMatrixSamples
{
    /// <summary>The tiles are TileSize × TileSize: a group of 16 lanes, which ILGPU's CPU accelerator runs too.</summary>
    public const int TileSize = 4;

    /// <summary>c[x, y] = Σₖ a[x, k] · b[k, y], k ascending, each group through its tiles of a and b.</summary>
    static void MultiplyTiled(ArrayView2D<float, Stride2D.DenseX> a, ArrayView2D<float, Stride2D.DenseX> b, ArrayView2D<float, Stride2D.DenseX> c)
    {
        int x = Grid.GlobalIndex.X;
        int y = Grid.GlobalIndex.Y;
        int tx = Group.IdxX;
        int ty = Group.IdxY;
        var aTile = SharedMemory.Allocate2D<float, Stride2D.DenseX>(new Index2D(TileSize, TileSize), new Stride2D.DenseX(TileSize));
        var bTile = SharedMemory.Allocate2DDenseY<float>(new Index2D(TileSize, TileSize));
        float sum = 0f;
        for (int k = 0; k < a.IntExtent.Y; k += TileSize)
        {
            aTile[new Index2D(tx, ty)] = x < a.IntExtent.X && k + ty < a.IntExtent.Y ? a[new Index2D(x, k + ty)] : 0f;
            bTile[tx, ty] = k + tx < b.IntExtent.X && y < b.IntExtent.Y ? b[k + tx, y] : 0f;
            Group.Barrier();
            var aRow = aTile.SubView(new Index2D(tx, 0), new Index2D(1, TileSize));
            for (int i = 0; i < TileSize; i++)
            {
                sum += aRow[new Index2D(0, i)] * bTile[new Index2D(i, ty)];
            }
            Group.Barrier();
        }
        if (x < c.IntExtent.X && y < c.IntExtent.Y)
        {
            c[new Index2D(x, y)] = sum;
        }
    }

    static void CopyBlock(Index2D index, ArrayView2D<int, Stride2D.DenseX> input, ArrayView2D<int, Stride2D.DenseY> output, int offsetX, int offsetY)
    {
        var block = input.SubView(new Index2D(offsetX, offsetY), output.IntExtent);
        output[index] = block[index] + block.IntLength;
    }

    /// <summary>c = a · b through <see cref="MultiplyTiled"/>, groups of TileSize × TileSize over c.</summary>
    public static float[,] Multiply(Accelerator accelerator, float[,] a, float[,] b)
    {
        var kernel = accelerator.LoadStreamKernel<ArrayView2D<float, Stride2D.DenseX>, ArrayView2D<float, Stride2D.DenseX>,
            ArrayView2D<float, Stride2D.DenseX>>(MultiplyTiled);
        using var da = accelerator.Allocate2DDenseX<float>(new Index2D(a.GetLength(0), a.GetLength(1)));
        using var db = accelerator.Allocate2DDenseX<float>(new Index2D(b.GetLength(0), b.GetLength(1)));
        using var dc = accelerator.Allocate2DDenseX<float>(new Index2D(a.GetLength(0), b.GetLength(1)));
        da.CopyFromCPU(a);
        db.CopyFromCPU(b);
        var groups = new Index2D((a.GetLength(0) + TileSize - 1) / TileSize, (b.GetLength(1) + TileSize - 1) / TileSize);
        kernel((groups, new Index2D(TileSize, TileSize)), da.View, db.View, dc.View);
        accelerator.Synchronize();
        return dc.GetAsArray2D();
    }

    /// <summary>
    /// The <paramref name="width"/> × <paramref name="height"/> block of <paramref name="input"/> at (offsetX, offsetY),
    /// plus the block's Length, through a Y-dense buffer. As ILGPU counts it, a sub-view's Length is every element of
    /// its base that it spans, from its first to its last: (height − 1) · input's X + width, not width · height.
    /// </summary>
    public static int[,] Block(Accelerator accelerator, int[,] input, int offsetX, int offsetY, int width, int height)
    {
        var kernel = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView2D<int, Stride2D.DenseX>, ArrayView2D<int, Stride2D.DenseY>, int, int>(CopyBlock);
        using var source = accelerator.Allocate2DDenseX<int>(new Index2D(input.GetLength(0), input.GetLength(1)));
        using var block = accelerator.Allocate2DDenseY<int>(new Index2D(width, height));
        source.CopyFromCPU(input);
        kernel(block.IntExtent, source.View, block.View, offsetX, offsetY);
        accelerator.Synchronize();
        return block.GetAsArray2D();
    }

    /// <summary><see cref="Block"/>, as a plain C# loop.</summary>
    public static int[,] BlockReference(int[,] input, int offsetX, int offsetY, int width, int height)
    {
        var block = new int[width, height];
        for (int x = 0; x < width; x++)
        {
            for (int y = 0; y < height; y++)
            {
                block[x, y] = input[offsetX + x, offsetY + y] + (height - 1) * input.GetLength(0) + width;
            }
        }
        return block;
    }
}
