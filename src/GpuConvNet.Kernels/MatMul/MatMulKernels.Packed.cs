using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Variants 5 and 6, for CPUs: op(a) and op(b) first copied into panels (<see cref="PackRows"/>,
/// <see cref="PackColumns"/>) so that a micro-kernel reads both as two sequential streams, whatever the operands'
/// strides, then each lane computes whole tiles of c from one row panel and one column panel, with the tile's
/// accumulators in registers (BLIS's design; kernels.md, "MatMul").
/// </summary>
public static partial class MatMulKernels
{
    /// <summary>Columns of a column panel and of a tile of variants 5 and 6: two AVX2 vectors, or one AVX-512 vector.</summary>
    public const int PanelColumns = 16;

    /// <summary>Rows of a tile of variant 5: 6×16 accumulators fill 12 of AVX2's 16 vector registers.</summary>
    public const int PanelRows6 = 6;

    /// <summary>Rows of a tile of variant 6: 12×16 accumulators take 24 of AVX-512's 32 vector registers.</summary>
    public const int PanelRows12 = 12;

    /// <summary>
    /// Row panels of op(a): packed[(panel·k + p)·panelRows + i] = op(a)[panel·panelRows + i, p], zero past row m, so
    /// a micro-kernel reads a panel's k·panelRows values in order. index = (p, panel); op(a) as in <see cref="Naive"/>.
    /// </summary>
    [Kernel]
    public static void PackRows(Index2D index, ArrayView<float> a, int aRow, int aCol, ArrayView<float> packed, int m, int k, int panelRows)
    {
        int p = index.X;
        int panel = index.Y;
        int start = (panel * k + p) * panelRows;
        for (int i = 0; i < panelRows; i++)
        {
            int row = panel * panelRows + i;
            packed[start + i] = row < m ? a[row * aRow + p * aCol] : 0f;
        }
    }

    /// <summary>
    /// Column panels of op(b): packed[(panel·k + p)·16 + j] = op(b)[p, panel·16 + j], zero past column n.
    /// index = (p, panel); op(b) as in <see cref="Naive"/>.
    /// </summary>
    [Kernel]
    public static void PackColumns(Index2D index, ArrayView<float> b, int bRow, int bCol, ArrayView<float> packed, int n, int k)
    {
        int p = index.X;
        int panel = index.Y;
        int start = (panel * k + p) * PanelColumns;
        for (int j = 0; j < PanelColumns; j++)
        {
            int col = panel * PanelColumns + j;
            packed[start + j] = col < n ? b[p * bRow + col * bCol] : 0f;
        }
    }

    /// <summary>
    /// Variants 5 and 6: the <paramref name="rows"/>×16 tile of c at (row panel index.Y, column panel index.X) from
    /// packed panels of <paramref name="rows"/> rows, compiled in: 6 (<see cref="PanelRows6"/>, variant 5) or 12
    /// (<see cref="PanelRows12"/>, variant 6). Each step of k: one 16-float load of the column panel, rows broadcasts,
    /// rows×16 multiply-adds into accumulators the compiler keeps in registers (the loops have constant trip counts
    /// and are unrolled).
    /// </summary>
    // Contraction allowed: its multiply-adds are the FMA units' work (results checked with a tolerance).
    [Kernel(AllowContraction = true)]
    public static void Packed(Index2D index, ArrayView<float> rowPanels, ArrayView<float> columnPanels, ArrayView<float> c,
        ArrayView<float> bias, int m, int n, int k, int epilogue, SpecializedValue<int> rows)
    {
        Span<float> acc = stackalloc float[rows.Value * PanelColumns];
        int aStart = index.Y * k * rows.Value;
        int bStart = index.X * k * PanelColumns;
        for (int p = 0; p < k; p++)
        {
            var b = columnPanels.SubView(bStart + p * PanelColumns, PanelColumns);
            for (int i = 0; i < rows.Value; i++)
            {
                float av = rowPanels[aStart + p * rows.Value + i];
                for (int j = 0; j < PanelColumns; j++)
                {
                    acc[i * PanelColumns + j] += av * b[j];
                }
            }
        }
        int rowBase = index.Y * rows.Value;
        int colBase = index.X * PanelColumns;
        bool whole = rowBase + rows.Value <= m && colBase + PanelColumns <= n;
        for (int i = 0; i < rows.Value; i++)
        {
            for (int j = 0; j < PanelColumns; j++)
            {
                if (whole || (rowBase + i < m && colBase + j < n))
                {
                    c[(rowBase + i) * n + colBase + j] = Epilogue(acc[i * PanelColumns + j], bias, colBase + j, epilogue);
                }
            }
        }
    }
}
