using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// C = op(A)·op(B) (+ bias, + ReLU). Each operand is read through strides, so one kernel serves A·B, A·Bᵀ and Aᵀ·B:
/// element (i, p) of op(A) is a[i·aRow + p·aCol]; element (p, j) of op(B) is b[p·bRow + j·bCol].
/// c: (m, n) row-major. epilogue: 0 none, 1 + bias[j], 2 ReLU(+ bias[j]). Variants (kernels.md):
/// 0 <see cref="Naive"/>, 1 <see cref="Tiled"/> (shared memory; GPUs), 2 <see cref="RegisterBlocked"/>,
/// 3 <see cref="VectorBlocked"/> (CPUs).
/// </summary>
public static partial class MatMulKernels
{
    /// <summary>Output tile edge per group of <see cref="Tiled"/> (and columns per 16 lanes of <see cref="RegisterBlocked"/>).</summary>
    public const int Tile = 64;

    /// <summary>Depth of the A and B slices staged in shared memory per step of <see cref="Tiled"/>.</summary>
    public const int TileK = 16;

    /// <summary>Lanes per group edge of <see cref="Tiled"/>.</summary>
    public const int GroupEdge = 16;

    /// <summary>No epilogue.</summary>
    public const int EpilogueNone = 0;

    /// <summary>Add bias[j] to column j.</summary>
    public const int EpilogueBias = 1;

    /// <summary>Add bias[j], then ReLU.</summary>
    public const int EpilogueBiasRelu = 2;

    /// <summary>Bias and activation, applied once as C is written (saves a pass over C).</summary>
    [KernelFunction]
    public static float Epilogue(float value, ArrayView<float> bias, int column, int epilogue)
    {
        float result = epilogue >= EpilogueBias ? value + bias[column] : value;
        return epilogue == EpilogueBiasRelu ? MathF.Max(result, 0f) : result;
    }

    /// <summary>Variant 0: one lane per output, no reuse. index = (column, row).</summary>
    [Kernel]
    public static void Naive(Index2D index, ArrayView<float> a, int aRow, int aCol, ArrayView<float> b, int bRow, int bCol,
        ArrayView<float> c, ArrayView<float> bias, int m, int n, int k, int epilogue)
    {
        int j = index.X;
        int i = index.Y;
        float sum = 0f;
        for (int p = 0; p < k; p++)
        {
            sum += a[i * aRow + p * aCol] * b[p * bRow + j * bCol];
        }
        c[i * n + j] = Epilogue(sum, bias, j, epilogue);
    }

    /// <summary>
    /// Variant 1: each 16×16 group computes a 64×64 tile of c, each lane a 4×4 block in registers (rows ty + 16·i,
    /// columns tx + 16·j). Per step the group stages a 64×16 slice of op(A) (transposed, so lanes read along rows)
    /// and a 16×64 slice of op(B) in shared memory. Launch with <see cref="MatMul.TiledConfig"/>.
    /// </summary>
    // Contraction allowed: its multiply-adds are the FMA units' work (results checked with a tolerance).
    [Kernel(AllowContraction = true)]
    public static void Tiled(ArrayView<float> a, int aRow, int aCol, ArrayView<float> b, int bRow, int bCol,
        ArrayView<float> c, ArrayView<float> bias, int m, int n, int k, int epilogue)
    {
        var aTile = SharedMemory.Allocate<float>(TileK * Tile);
        var bTile = SharedMemory.Allocate<float>(TileK * Tile);
        Span<float> acc = stackalloc float[16];
        int tx = Group.IdxX;
        int ty = Group.IdxY;
        int lane = ty * GroupEdge + tx;
        int rowBase = Grid.IdxY * Tile;
        int colBase = Grid.IdxX * Tile;
        for (int k0 = 0; k0 < k; k0 += TileK)
        {
            // 1024 elements per tile, 256 lanes: four loads each; zeros past the matrix edges.
            for (int l = 0; l < 4; l++)
            {
                int e = lane + l * GroupEdge * GroupEdge;
                int ar = e / TileK;
                int ak = e % TileK;
                aTile[ak * Tile + ar] = rowBase + ar < m && k0 + ak < k ? a[(rowBase + ar) * aRow + (k0 + ak) * aCol] : 0f;
                int bk = e / Tile;
                int bc = e % Tile;
                bTile[bk * Tile + bc] = k0 + bk < k && colBase + bc < n ? b[(k0 + bk) * bRow + (colBase + bc) * bCol] : 0f;
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
                    c[row * n + col] = Epilogue(acc[i * 4 + j], bias, col, epilogue);
                }
            }
        }
    }

    /// <summary>
    /// Variant 2: each lane computes a 4×4 block — rows 4·y…4·y+3, columns 64·(x / 16) + x % 16 + 16·j — from global
    /// memory, with no shared memory or barriers: on CPUs the caches stage the tiles, and PoCL vectorises the lane loop
    /// across neighbouring columns. Launch over <see cref="MatMul.RegisterBlockedExtent"/>.
    /// </summary>
    // Contraction allowed: its multiply-adds are the FMA units' work (results checked with a tolerance).
    [Kernel(AllowContraction = true)]
    public static void RegisterBlocked(Index2D index, ArrayView<float> a, int aRow, int aCol, ArrayView<float> b, int bRow, int bCol,
        ArrayView<float> c, ArrayView<float> bias, int m, int n, int k, int epilogue)
    {
        int colBase = index.X / GroupEdge * Tile + index.X % GroupEdge;
        int rowBase = index.Y * 4;
        Span<float> acc = stackalloc float[16];
        Span<int> rowStarts = stackalloc int[4];
        Span<int> colStarts = stackalloc int[4];
        for (int i = 0; i < 4; i++)
        {
            // Clamped to the last row and column: edge lanes compute duplicates instead of branching in the hot loop.
            rowStarts[i] = Math.Min(rowBase + i, m - 1) * aRow;
            colStarts[i] = Math.Min(colBase + GroupEdge * i, n - 1) * bCol;
        }
        for (int p = 0; p < k; p++)
        {
            for (int i = 0; i < 4; i++)
            {
                float av = a[rowStarts[i] + p * aCol];
                for (int j = 0; j < 4; j++)
                {
                    acc[i * 4 + j] += av * b[p * bRow + colStarts[j]];
                }
            }
        }
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                int row = rowBase + i;
                int col = colBase + GroupEdge * j;
                if (row < m && col < n)
                {
                    c[row * n + col] = Epilogue(acc[i * 4 + j], bias, col, epilogue);
                }
            }
        }
    }

    /// <summary>Rows of c per lane of <see cref="VectorBlocked"/>.</summary>
    public const int VectorRows = 8;

    /// <summary>Contiguous columns of c per lane of variant 3: one AVX-512 vector.</summary>
    public const int VectorColumns = 16;

    /// <summary>Contiguous columns of c per lane of variant 4: one AVX2 vector.</summary>
    public const int VectorColumns8 = 8;

    /// <summary>
    /// Variants 3 and 4: each lane computes an 8 × <paramref name="columns"/> block of c — rows 8·y…, columns
    /// columns·x… — with the columns innermost, so a CPU compiler turns each step of k into one load of b, 8
    /// broadcasts of a and 8 vector multiply-adds into 8 vector accumulators. <paramref name="columns"/> is compiled
    /// in: 16 (<see cref="VectorColumns"/>, variant 3) fills one AVX-512 vector; 8 (<see cref="VectorColumns8"/>,
    /// variant 4) one AVX2 vector, for CPUs whose vectors hold 8 floats, where the 16-column block spills registers
    /// (<see cref="MatMulTuning"/> picks per device). PoCL vectorises within a lane's own loops, not across lanes;
    /// full blocks with a contiguous b (bCol = 1) take a branch-free loop, edge blocks a clamped one. Launch over
    /// <see cref="MatMul.VectorBlockedExtent"/>.
    /// </summary>
    // Contraction allowed: its multiply-adds are the FMA units' work (results checked with a tolerance).
    [Kernel(AllowContraction = true)]
    public static void VectorBlocked(Index2D index, ArrayView<float> a, int aRow, int aCol, ArrayView<float> b, int bRow, int bCol,
        ArrayView<float> c, ArrayView<float> bias, int m, int n, int k, int epilogue, SpecializedValue<int> columns)
    {
        int colBase = index.X * columns.Value;
        int rowBase = index.Y * VectorRows;
        Span<float> acc = stackalloc float[VectorRows * columns.Value];
        if (colBase + columns.Value <= n && rowBase + VectorRows <= m && bCol == 1)
        {
            for (int p = 0; p < k; p++)
            {
                // A view that starts at the block: the compiler sees consecutive floats, one vector load.
                var bRowView = b.SubView(p * bRow + colBase, columns.Value);
                for (int i = 0; i < VectorRows; i++)
                {
                    float av = a[(rowBase + i) * aRow + p * aCol];
                    for (int j = 0; j < columns.Value; j++)
                    {
                        acc[i * columns.Value + j] += av * bRowView[j];
                    }
                }
            }
        }
        else
        {
            for (int p = 0; p < k; p++)
            {
                for (int i = 0; i < VectorRows; i++)
                {
                    float av = a[Math.Min(rowBase + i, m - 1) * aRow + p * aCol];
                    for (int j = 0; j < columns.Value; j++)
                    {
                        acc[i * columns.Value + j] += av * b[p * bRow + Math.Min(colBase + j, n - 1) * bCol];
                    }
                }
            }
        }
        for (int i = 0; i < VectorRows; i++)
        {
            for (int j = 0; j < columns.Value; j++)
            {
                int row = rowBase + i;
                int col = colBase + j;
                if (row < m && col < n)
                {
                    c[row * n + col] = Epilogue(acc[i * columns.Value + j], bias, col, epilogue);
                }
            }
        }
    }

    /// <summary>
    /// destination = sourceᵀ. source: (rows, cols), destination: (cols, rows), row-major. Lanes run along the
    /// destination's rows, so writes are contiguous; the reads stride by cols and stay in cache for these sizes.
    /// </summary>
    [Kernel]
    public static void Transpose(Index2D index, ArrayView<float> source, ArrayView<float> destination, int rows, int cols)
    {
        int row = index.X;
        int col = index.Y;
        destination[col * rows + row] = source[row * cols + col];
    }
}
