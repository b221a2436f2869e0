using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Per-device ranking of the CPU matmul variants — 3 (8×16 blocks, one AVX-512 vector per row of a block), 4 (8×8,
/// one AVX2 vector), 5 and 6 (packed panels, 6×16 or 12×16 tiles in registers) — through <see cref="KernelTuning"/>:
/// a 384³ product with each, three races of two rounds each (taking turns, after a warm-up), ranked by median (about 2 s with the compilations), the first time a device
/// multiplies.
/// </summary>
public static class MatMulTuning
{
    /// <summary>Rows, columns and depth of the measured product.</summary>
    public const int Size = 384;

    /// <summary>The name rankings are kept under (file <c>matmul-….txt</c> in <see cref="KernelTuning.CacheDirectory"/>).</summary>
    public const string Op = "matmul";

    /// <summary>The variants ranked, in the order they are measured.</summary>
    public static IReadOnlyList<MatMulVariant> Candidates { get; } =
        [MatMulVariant.VectorBlocked, MatMulVariant.VectorBlocked8, MatMulVariant.Packed6x16, MatMulVariant.Packed12x16];

    /// <summary>
    /// The fastest variant on <paramref name="accelerator"/>'s device; with <paramref name="packed"/> false (no
    /// workspace to pack into) the fastest of variants 3 and 4.
    /// </summary>
    public static MatMulVariant Fastest(Accelerator accelerator, bool packed)
    {
        var ranking = Ranking(accelerator);
        return packed ? ranking[0] : ranking.First(v => v is MatMulVariant.VectorBlocked or MatMulVariant.VectorBlocked8);
    }

    /// <summary>The <see cref="Candidates"/>, fastest first, on <paramref name="accelerator"/>'s device.</summary>
    public static IReadOnlyList<MatMulVariant> Ranking(Accelerator accelerator) => KernelTuning.Ranking(accelerator, Op, Candidates, Rates);

    /// <summary>Measures the device again (e.g. after a driver update) and keeps the new ranking.</summary>
    public static IReadOnlyList<MatMulVariant> Remeasure(Accelerator accelerator) => KernelTuning.Remeasure(accelerator, Op, Rates);

    /// <summary>Measures the device again, keeps the new ranking and returns the measurement (for <c>gpuconvnet tune</c>).</summary>
    public static TuningResult<MatMulVariant> Tune(Accelerator accelerator) => KernelTuning.Tune(accelerator, Op, Rates);

    /// <summary>GFLOP/s of each of the <see cref="Candidates"/> on <paramref name="accelerator"/> at <see cref="Size"/>³.</summary>
    public static IReadOnlyDictionary<MatMulVariant, double> Rates(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        var random = new Random(1);
        var host = Enumerable.Range(0, Size * Size).Select(_ => (float)random.NextDouble()).ToArray();
        using var a = accelerator.Allocate(host);
        using var b = accelerator.Allocate(host);
        using var c = accelerator.Allocate<float>(Size * Size);
        using var workspace = new MatMulWorkspace();
        var seconds = KernelTuning.Race(accelerator, Candidates.Select(variant => (variant, (Action)(() =>
            MatMul.Multiply(accelerator, a.View, Transpose.No, b.View, Transpose.No, c.View, Size, Size, Size, variant: variant, workspace: workspace)))).ToList());
        return seconds.ToDictionary(s => s.Key, s => 2.0 * Size * Size * Size / s.Value / 1e9);
    }
}
