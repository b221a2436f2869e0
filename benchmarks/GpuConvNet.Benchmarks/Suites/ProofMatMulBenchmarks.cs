using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.ProofKernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// Square matrix multiply C = A·B (n³ multiply-adds) with the compute layer's proof kernels — naive, and tiled in
/// shared memory (64×64 tiles, 16×16 groups, 4×4 register tile) — on each accelerator. Each is checked against
/// float64 before timing. The library's variants are in <see cref="MatMulBenchmarks"/>.
/// </summary>
public class ProofMatMulBenchmarks : DeviceBenchmark
{
    private MemoryBuffer<float> a = null!;
    private MemoryBuffer<float> b = null!;
    private MemoryBuffer<float> c = null!;

    /// <summary>Matrix edge n.</summary>
    [Params(256, 1024)]
    public int Size { get; set; }

    /// <inheritdoc />
    public override double Flops => 2.0 * Size * Size * Size;

    /// <inheritdoc />
    public override double Bytes => 3.0 * Size * Size * sizeof(float);

    /// <summary>Allocates, runs each kernel once and checks sampled outputs against float64.</summary>
    protected override void Prepare()
    {
        int n = Size;
        var random = new Random(42);
        var ha = Enumerable.Range(0, n * n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var hb = Enumerable.Range(0, n * n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        a = Allocate(ha);
        b = Allocate(hb);
        c = Allocate<float>(n * n);
        var samples = Enumerable.Range(0, 256).Select(_ => random.Next(n * n)).Select(i =>
        {
            int row = i / n, col = i % n;
            double sum = 0;
            for (int p = 0; p < n; p++)
            {
                sum += (double)ha[row * n + p] * hb[p * n + col];
            }
            return (i, sum);
        }).ToList();
        foreach (var (name, run) in new (string, Action)[] { ("tiled", Tiled), ("naive", Naive) })
        {
            c.Fill(float.NaN);
            run();
            Verify.Close($"matmul {name} {n}³ on {Device}", samples, c.ToArray(), 1e-6 * n, 1e-5);
        }
    }

    /// <summary>The tiled kernel.</summary>
    [Benchmark(Baseline = true)]
    public void Tiled()
    {
        Accelerator.Launch(MatMulKernels.Tiled, MatMulKernels.TiledConfig(Size, Size), a.View, b.View, c.View, Size, Size, Size);
        Accelerator.Synchronize();
    }

    /// <summary>The naive kernel: one lane per output, no reuse.</summary>
    [Benchmark]
    public void Naive()
    {
        Accelerator.Launch(MatMulKernels.Naive, new Index2D(Size, Size), a.View, b.View, c.View, Size, Size, Size);
        Accelerator.Synchronize();
    }
}
