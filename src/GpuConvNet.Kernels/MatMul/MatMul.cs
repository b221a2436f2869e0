using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>Whether an operand is used as stored or transposed.</summary>
public enum Transpose
{
    /// <summary>Use as stored.</summary>
    No,

    /// <summary>Use the transpose.</summary>
    Yes,
}

/// <summary>Which matmul kernel to run; <see cref="Auto"/> picks by device (kernels.md says why).</summary>
public enum MatMulVariant
{
    /// <summary>Tiled on GPUs; on CPUs the vector-blocked variant <see cref="MatMulTuning"/> measured fastest on the device.</summary>
    Auto,

    /// <summary>Variant 0: one lane per output.</summary>
    Naive,

    /// <summary>Variant 1: shared-memory tiles.</summary>
    Tiled,

    /// <summary>Variant 2: 4×4 register blocks, no barriers.</summary>
    RegisterBlocked,

    /// <summary>Variant 3: 8×16 blocks with the 16 columns innermost (vectorised within a lane; one AVX-512 vector).</summary>
    VectorBlocked,

    /// <summary>Variant 4: 8×8 blocks with the 8 columns innermost (one AVX2 vector).</summary>
    VectorBlocked8,

    /// <summary>Variant 5: operands packed into panels, 6×16 tiles with their accumulators in registers (AVX2). Needs a workspace.</summary>
    Packed6x16,

    /// <summary>Variant 6: as variant 5 with 12×16 tiles (32 vector registers: AVX-512). Needs a workspace.</summary>
    Packed12x16,
}

/// <summary>Matrix multiply with the transposes training needs, and a fused bias (+ ReLU) epilogue.</summary>
public static class MatMul
{
    /// <summary>
    /// c = op(a)·op(b) [+ bias] [ReLU]. op(a): (m, k), op(b): (k, n), c: (m, n), all row-major as stored:
    /// a is (m, k), or (k, m) when <paramref name="transposeA"/>; b is (k, n), or (n, k) when <paramref name="transposeB"/>.
    /// bias: (n) or an empty view. Asynchronous like any launch.
    /// </summary>
    /// <remarks>
    /// The packed variants (5, 6) copy op(a) and op(b) into panels in the <paramref name="workspace"/>, and need one;
    /// <see cref="MatMulVariant.Auto"/> picks them on CPUs only when one is given. With a workspace, variants 2–4 first
    /// copy a transposed b into it: read through strides, bᵀ puts a whole row of k between neighbouring lanes, which
    /// CPUs cannot load as a vector.
    /// </remarks>
    public static void Multiply(Accelerator accelerator, ArrayView<float> a, Transpose transposeA, ArrayView<float> b, Transpose transposeB,
        ArrayView<float> c, int m, int n, int k, ArrayView<float> bias = default, bool relu = false, MatMulVariant variant = MatMulVariant.Auto,
        MatMulWorkspace? workspace = null)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "MatMul";
        ShapeCheck.Positive(op, ("m", m), ("n", n), ("k", k));
        ShapeCheck.Length(op, "a", a.Length, (long)m * k, transposeA == Transpose.Yes ? $"aᵀ with a ({k}, {m})" : $"a ({m}, {k})");
        ShapeCheck.Length(op, "b", b.Length, (long)k * n, transposeB == Transpose.Yes ? $"bᵀ with b ({n}, {k})" : $"b ({k}, {n})");
        ShapeCheck.Length(op, "c", c.Length, (long)m * n, $"c ({m}, {n})");
        if (!bias.IsEmpty)
        {
            ShapeCheck.Length(op, "bias", bias.Length, n, $"a bias over {n} columns");
        }
        else if (relu)
        {
            throw new ArgumentException($"{op}: the fused ReLU comes after the bias: pass a bias");
        }
        int epilogue = bias.IsEmpty ? MatMulKernels.EpilogueNone : relu ? MatMulKernels.EpilogueBiasRelu : MatMulKernels.EpilogueBias;
        if (variant == MatMulVariant.Auto)
        {
            // The engines that check kernels (CPU accelerator, ILGPU's, Oclgrind) would spend their time measuring
            // their own checks: they take variant 3, the CPU devices' common case, without a race.
            variant = accelerator.Device.Type == DeviceType.Gpu ? MatMulVariant.Tiled
                : accelerator.Engine.Has(EngineCapabilities.Tunable) ? MatMulTuning.Fastest(accelerator, packed: workspace is not null)
                : MatMulVariant.VectorBlocked;
        }
        if (variant is MatMulVariant.Packed6x16 or MatMulVariant.Packed12x16)
        {
            MultiplyPacked(accelerator, a, transposeA, b, transposeB, c, m, n, k, bias, epilogue, variant,
                workspace ?? throw new ArgumentException($"{op}: variant {variant} packs the operands into a workspace: pass a {nameof(MatMulWorkspace)}"));
            return;
        }
        if (variant is MatMulVariant.RegisterBlocked or MatMulVariant.VectorBlocked or MatMulVariant.VectorBlocked8 && transposeB == Transpose.Yes && workspace is not null)
        {
            var transposed = workspace.View(accelerator, k * n);
            accelerator.Launch(MatMulKernels.Transpose, new Index2D(n, k), b, transposed, n, k);
            b = transposed;
            transposeB = Transpose.No;
        }
        (int aRow, int aCol) = Strides(transposeA, m, k);
        (int bRow, int bCol) = Strides(transposeB, k, n);
        switch (variant)
        {
            case MatMulVariant.Naive:
                accelerator.Launch(MatMulKernels.Naive, new Index2D(n, m), a, aRow, aCol, b, bRow, bCol, c, bias, m, n, k, epilogue);
                break;
            case MatMulVariant.Tiled:
                accelerator.Launch(MatMulKernels.Tiled, TiledConfig(m, n), a, aRow, aCol, b, bRow, bCol, c, bias, m, n, k, epilogue);
                break;
            case MatMulVariant.RegisterBlocked:
                accelerator.Launch(MatMulKernels.RegisterBlocked, RegisterBlockedExtent(m, n), a, aRow, aCol, b, bRow, bCol, c, bias, m, n, k, epilogue);
                break;
            default:
                int columns = variant == MatMulVariant.VectorBlocked8 ? MatMulKernels.VectorColumns8 : MatMulKernels.VectorColumns;
                accelerator.Launch(MatMulKernels.VectorBlocked, VectorBlockedExtent(m, n, columns), a, aRow, aCol, b, bRow, bCol, c, bias, m, n, k,
                    epilogue, SpecializedValue.New(columns));
                break;
        }
    }

    // Element (i, j) of op(x), an (rows, cols) operand stored as is or transposed, sits at x[i·Row + j·Col].
    private static (int Row, int Col) Strides(Transpose transpose, int rows, int cols) => transpose == Transpose.Yes ? (1, rows) : (cols, 1);

    // Variants 5 and 6: row panels of op(a) then column panels of op(b) side by side in the workspace, then the tiles.
    private static void MultiplyPacked(Accelerator accelerator, ArrayView<float> a, Transpose transposeA, ArrayView<float> b, Transpose transposeB,
        ArrayView<float> c, int m, int n, int k, ArrayView<float> bias, int epilogue, MatMulVariant variant, MatMulWorkspace workspace)
    {
        (int aRow, int aCol) = Strides(transposeA, m, k);
        (int bRow, int bCol) = Strides(transposeB, k, n);
        int panelRows = variant == MatMulVariant.Packed6x16 ? MatMulKernels.PanelRows6 : MatMulKernels.PanelRows12;
        int rowPanels = KernelConfig.GroupsFor(m, panelRows);
        int columnPanels = KernelConfig.GroupsFor(n, MatMulKernels.PanelColumns);
        long rowLength = (long)rowPanels * panelRows * k;
        long columnLength = (long)columnPanels * MatMulKernels.PanelColumns * k;
        if (rowLength + columnLength > int.MaxValue)
        {
            throw new ArgumentException($"MatMul: packing a ({m} × {k}) by ({k} × {n}) product needs {rowLength + columnLength} floats of workspace, more than one buffer holds");
        }
        var space = workspace.View(accelerator, (int)(rowLength + columnLength));
        var rows = space.SubView(0, (int)rowLength);
        var columns = space.SubView((int)rowLength, (int)columnLength);
        accelerator.Launch(MatMulKernels.PackRows, new Index2D(k, rowPanels), a, aRow, aCol, rows, m, k, panelRows);
        accelerator.Launch(MatMulKernels.PackColumns, new Index2D(k, columnPanels), b, bRow, bCol, columns, n, k);
        accelerator.Launch(MatMulKernels.Packed, new Index2D(columnPanels, rowPanels), rows, columns, c, bias, m, n, k, epilogue,
            SpecializedValue.New(panelRows));
    }

    /// <summary>The launch shape of the tiled kernel for an (m × n) result.</summary>
    public static KernelConfig TiledConfig(int m, int n) =>
        new(new Index2D(KernelConfig.GroupsFor(n, MatMulKernels.Tile), KernelConfig.GroupsFor(m, MatMulKernels.Tile)),
            new Index2D(MatMulKernels.GroupEdge, MatMulKernels.GroupEdge));

    /// <summary>The extent of the vector-blocked kernel for an (m × n) result: one lane per 8 × <paramref name="columns"/> block.</summary>
    public static Index2D VectorBlockedExtent(int m, int n, int columns) =>
        new(KernelConfig.GroupsFor(n, columns), KernelConfig.GroupsFor(m, MatMulKernels.VectorRows));

    /// <summary>The extent of the register-blocked kernel for an (m × n) result: 16 lanes per 64 columns, one per 4 rows.</summary>
    public static Index2D RegisterBlockedExtent(int m, int n) =>
        new(KernelConfig.GroupsFor(n, MatMulKernels.Tile) * MatMulKernels.GroupEdge, KernelConfig.GroupsFor(m, 4));

    /// <summary>
    /// The backward of y = x·Wᵀ (a linear layer; its bias gradient is <see cref="BiasGradient.Dense"/>): dW = dyᵀ·x and,
    /// unless <paramref name="dx"/> is empty, dx = dy·W. x: (m, k); w, dw: (n, k); dy: (m, n); dx: (m, k) row-major.
    /// A <paramref name="workspace"/> lets CPUs use the packed variants (see <see cref="Multiply"/>).
    /// </summary>
    public static void Backward(Accelerator accelerator, ArrayView<float> x, ArrayView<float> w, ArrayView<float> dy,
        ArrayView<float> dw, ArrayView<float> dx, int m, int n, int k, MatMulWorkspace? workspace = null)
    {
        Multiply(accelerator, dy, Transpose.Yes, x, Transpose.No, dw, n, k, m, workspace: workspace);
        if (!dx.IsEmpty)
        {
            Multiply(accelerator, dy, Transpose.No, w, Transpose.No, dx, m, k, n, workspace: workspace);
        }
    }
}
