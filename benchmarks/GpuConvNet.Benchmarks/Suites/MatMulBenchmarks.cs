using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// The library's matmul (variants 1 to 6) at square sizes and at the dense layers' shapes, compared in the report
/// with OpenBLAS/cuBLAS through PyTorch. Checked against float64 (sampled) before timing.
/// </summary>
public class MatMulBenchmarks : DeviceBenchmark
{
    private MemoryBuffer<float> a = null!;
    private MemoryBuffer<float> b = null!;
    private MemoryBuffer<float> c = null!;
    private MatMulWorkspace workspace = null!;

    /// <summary>m×n×k: square sizes, and (batch)×128×9216 — the `cnn` dense layer, x·Wᵀ.</summary>
    [Params("256x256x256", "1024x1024x1024", "2048x2048x2048", "64x128x9216", "256x128x9216")]
    public string Shape { get; set; } = "256x256x256";

    /// <summary>Variant.</summary>
    [Params(MatMulVariant.Tiled, MatMulVariant.RegisterBlocked, MatMulVariant.VectorBlocked, MatMulVariant.VectorBlocked8, MatMulVariant.Packed6x16, MatMulVariant.Packed12x16)]
    public MatMulVariant Variant { get; set; } = MatMulVariant.RegisterBlocked;

    private (int M, int N, int K) Dims
    {
        get
        {
            var d = Shape.Split('x').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return (d[0], d[1], d[2]);
        }
    }

    /// <summary>The non-square shapes multiply by a transposed weight, as a dense layer does.</summary>
    private Transpose TransposeB => Dims.M == Dims.N ? Transpose.No : Transpose.Yes;

    /// <inheritdoc />
    public override double Flops => 2.0 * Dims.M * Dims.N * Dims.K;

    /// <inheritdoc />
    public override double Bytes => 4.0 * ((double)Dims.M * Dims.K + (double)Dims.K * Dims.N + (double)Dims.M * Dims.N);

    /// <summary>Allocates, runs once, checks 128 sampled outputs against float64.</summary>
    protected override void Prepare()
    {
        workspace = Own(new MatMulWorkspace());
        var (m, n, k) = Dims;
        var random = new Random(42);
        var ha = Enumerable.Range(0, m * k).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var hb = Enumerable.Range(0, k * n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        a = Allocate(ha);
        b = Allocate(hb);
        c = Allocate<float>(m * n);
        c.Fill(float.NaN);
        Multiply();
        var samples = Enumerable.Range(0, 128).Select(_ => random.Next(m * n)).Select(i =>
        {
            int row = i / n, col = i % n;
            double sum = 0;
            for (int p = 0; p < k; p++)
            {
                sum += (double)ha[row * k + p] * (TransposeB == Transpose.Yes ? hb[col * k + p] : hb[p * n + col]);
            }
            return (i, sum);
        }).ToList();
        Verify.Close($"matmul {Variant} {Shape} on {Device}", samples, c.ToArray(), 1e-6 * k, 1e-5);
    }

    /// <summary>c = a·op(b), with a workspace as the dense layers use (the CPU variants transpose a transposed b into it).</summary>
    [Benchmark]
    public void Multiply()
    {
        var (m, n, k) = Dims;
        MatMul.Multiply(Accelerator, a.View, Transpose.No, b.View, TransposeB, c.View, m, n, k, variant: Variant, workspace: workspace);
        Accelerator.Synchronize();
    }
}
