using GpuConvNet.Compute;

namespace GpuConvNet.Tests.ProofKernels;

/// <summary>
/// Matrix multiply C = A·B in three numbered variants (see kernels.md): 0 <see cref="Naive"/>, 1 <see cref="Tiled"/>
/// (shared-memory tiles + 4×4 register tile: the GPU design), 2 <see cref="RegisterBlocked"/> (4×4 register tile, no
/// shared memory or barriers: the CPU design, where caches do the staging; on PoCL barriers split the work-item loops
/// and cost more than shared memory saves).
/// </summary>
public static partial class MatMulKernels
{
    /// <summary>Output tile edge per group: 16×16 lanes, each computing a 4×4 block.</summary>
    public const int Tile = 64;

    /// <summary>Depth of the A and B tiles staged in shared memory per step.</summary>
    public const int TileK = 16;

    /// <summary>Lanes per group edge.</summary>
    public const int GroupEdge = 16;

    /// <summary>The launch shape of <see cref="Tiled"/> for an (m × n) result.</summary>
    public static KernelConfig TiledConfig(int m, int n) =>
        new(new Index2D(KernelConfig.GroupsFor(n, Tile), KernelConfig.GroupsFor(m, Tile)), new Index2D(GroupEdge, GroupEdge));

    /// <summary>One lane per output. a: (m, k), b: (k, n), c: (m, n), row-major.</summary>
    [Kernel]
    public static void Naive(Index2D index, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int m, int n, int k)
    {
        int col = index.X;
        int row = index.Y;
        float sum = 0f;
        for (int p = 0; p < k; p++)
        {
            sum += a[row * k + p] * b[p * n + col];
        }
        c[row * n + col] = sum;
    }

    /// <summary>
    /// a: (m, k), b: (k, n), c: (m, n), row-major. Each 16×16 group computes a 64×64 tile of c; each lane a 4×4
    /// block held in registers, rows ty + 16·i and columns tx + 16·j (strided, so neighbouring lanes read
    /// neighbouring shared-memory words). Per step the group stages a 64×16 slice of a and a 16×64 slice of b.
    /// </summary>
    [Kernel]
    public static void Tiled(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int m, int n, int k)
    {
        var aTile = SharedMemory.Allocate<float>(TileK * Tile); // [kk][row]: a transposed, so lanes read along rows
        var bTile = SharedMemory.Allocate<float>(TileK * Tile); // [kk][col]
        Span<float> acc = stackalloc float[16];
        int tx = Group.IdxX;
        int ty = Group.IdxY;
        int lane = ty * GroupEdge + tx;
        int rowBase = Grid.IdxY * Tile;
        int colBase = Grid.IdxX * Tile;
        for (int k0 = 0; k0 < k; k0 += TileK)
        {
            // 1024 elements of each tile, 256 lanes: four loads each; zeros past the matrix edges.
            for (int l = 0; l < 4; l++)
            {
                int e = lane + l * GroupEdge * GroupEdge;
                int ar = e / TileK;
                int ak = e % TileK;
                aTile[ak * Tile + ar] = rowBase + ar < m && k0 + ak < k ? a[(rowBase + ar) * k + k0 + ak] : 0f;
                int bk = e / Tile;
                int bc = e % Tile;
                bTile[bk * Tile + bc] = k0 + bk < k && colBase + bc < n ? b[(k0 + bk) * n + colBase + bc] : 0f;
            }
            Group.Barrier();
            for (int kk = 0; kk < TileK; kk++)
            {
                for (int i = 0; i < 4; i++)
                {
                    float av = aTile[kk * Tile + ty + GroupEdge * i];
                    for (int j = 0; j < 4; j++)
                    {
                        acc[i * 4 + j] += av * bTile[kk * Tile + tx + GroupEdge * j];
                    }
                }
            }
            Group.Barrier();
        }
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                int row = rowBase + ty + GroupEdge * i;
                int col = colBase + tx + GroupEdge * j;
                if (row < m && col < n)
                {
                    c[row * n + col] = acc[i * 4 + j];
                }
            }
        }
    }

    /// <summary>The extent of <see cref="RegisterBlocked"/> for an (m × n) result: 16 lanes per 64 columns, one per 4 rows.</summary>
    public static Index2D RegisterBlockedExtent(int m, int n) => new(KernelConfig.GroupsFor(n, Tile) * GroupEdge, KernelConfig.GroupsFor(m, 4));

    /// <summary>
    /// a: (m, k), b: (k, n), c: (m, n), row-major. Each lane computes a 4×4 block: rows 4·y…4·y+3 and columns
    /// 64·(x / 16) + x % 16 + 16·j, so neighbouring lanes read neighbouring columns of b (PoCL vectorises across them)
    /// and every lane reuses each loaded a and b value four times from registers.
    /// </summary>
    [Kernel]
    public static void RegisterBlocked(Index2D index, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int m, int n, int k)
    {
        int colBase = index.X / GroupEdge * Tile + index.X % GroupEdge;
        int rowBase = index.Y * 4;
        Span<float> acc = stackalloc float[16];
        Span<int> rowStarts = stackalloc int[4];
        Span<int> cols = stackalloc int[4];
        for (int i = 0; i < 4; i++)
        {
            // Clamped to the last row and column: edge lanes compute duplicates instead of branching in the hot loop.
            rowStarts[i] = Math.Min(rowBase + i, m - 1) * k;
            cols[i] = Math.Min(colBase + GroupEdge * i, n - 1);
        }
        for (int p = 0; p < k; p++)
        {
            for (int i = 0; i < 4; i++)
            {
                float av = a[rowStarts[i] + p];
                for (int j = 0; j < 4; j++)
                {
                    acc[i * 4 + j] += av * b[p * n + cols[j]];
                }
            }
        }
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                if (rowBase + i < m && colBase + GroupEdge * j < n)
                {
                    c[(rowBase + i) * n + colBase + GroupEdge * j] = acc[i * 4 + j];
                }
            }
        }
    }
}
