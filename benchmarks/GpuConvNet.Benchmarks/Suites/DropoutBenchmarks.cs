using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// Dropout (p = 0.5) forward and backward at the model's activation shapes (N, 9216) and (N, 128), on each accelerator;
/// checked against the float64 reference before timing. Memory-bound: GB/s counts 8 bytes per element (one read, one
/// write); GFLOP/s counts the multiply (the mask hash's integer operations are not counted).
/// </summary>
public class DropoutBenchmarks : DeviceBenchmark
{
    private const float P = 0.5f;
    private MemoryBuffer<float> x = null!;
    private MemoryBuffer<float> y = null!;
    private uint step;

    /// <summary>Batch size N.</summary>
    [Params(64, 256)]
    public int Batch { get; set; } = 64;

    /// <summary>Features per sample.</summary>
    [Params(9216, 128)]
    public int Features { get; set; } = 9216;

    /// <summary>Forward (y = x · mask / (1 − p)) or backward (dx = dy · mask / (1 − p), the mask recomputed).</summary>
    [Params(false, true)]
    public bool Backward { get; set; }

    private int N => Batch * Features;

    /// <inheritdoc />
    public override double Flops => N;

    /// <inheritdoc />
    public override double Bytes => 8.0 * N;

    /// <summary>Allocates, runs the pass once and checks sampled outputs against float64.</summary>
    protected override void Prepare()
    {
        var random = new Random(42);
        var hx = Enumerable.Range(0, N).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        x = Allocate(hx);
        y = Allocate<float>(N);
        y.Fill(float.NaN);
        Run();
        var expected = DropoutReference.Forward(hx.Select(v => (double)v).ToArray(), P, 7, 0);
        var samples = Enumerable.Range(0, 4096).Select(_ => random.Next(N)).Select(i => (i, expected[i])).ToList();
        Verify.Close($"Dropout {(Backward ? "backward" : "forward")} ({Batch}, {Features}) on {Device}", samples, y.ToArray(), 1e-6, 1e-5);
    }

    /// <summary>One launch of the pass.</summary>
    [Benchmark]
    public void Drop()
    {
        Run();
        Accelerator.Synchronize();
        // A fresh mask each step, as in training (the verified run used step 0).
        step++;
    }

    private void Run()
    {
        if (Backward)
        {
            Dropout.Backward(Accelerator, x.View, y.View, P, 7, step);
        }
        else
        {
            Dropout.Forward(Accelerator, x.View, y.View, P, 7, step);
        }
    }
}
