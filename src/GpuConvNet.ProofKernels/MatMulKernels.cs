using GpuConvNet.Compute;

namespace GpuConvNet.ProofKernels;

/// <summary>
/// Proof kernels of the compute layer: matrix multiply C = A·B, naive and tiled (shared-memory tiles, 16×16 groups, a
/// 4×4 register tile per lane). The library's matmul (src/GpuConvNet.Kernels/MatMul) grew from these, adding
/// transposes, an epilogue and a register-blocked variant for CPUs (kernels.md).
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
}
