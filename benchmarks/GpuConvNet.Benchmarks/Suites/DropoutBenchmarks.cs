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
public class DropoutBenchmarks : IWorkload
{
    private const float P = 0.5f;
    private Accelerator accelerator = null!;
    private MemoryBuffer<float> x = null!;
    private MemoryBuffer<float> y = null!;
    private uint step;

    /// <summary>Device id.</summary>
    [ParamsSource(nameof(Devices))]
    public string Device { get; set; } = "cpu";

    /// <summary>Batch size N.</summary>
    [Params(64, 256)]
    public int Batch { get; set; } = 64;

    /// <summary>Features per sample.</summary>
    [Params(9216, 128)]
    public int Features { get; set; } = 9216;

    /// <summary>Forward (y = x · mask / (1 − p)) or backward (dx = dy · mask / (1 − p), the mask recomputed).</summary>
    [Params(false, true)]
    public bool Backward { get; set; }

    /// <summary>Devices found here.</summary>
    public static IEnumerable<string> Devices => DeviceParameter.All();

    private int N => Batch * Features;

    /// <inheritdoc />
    public double Flops => N;

    /// <inheritdoc />
    public double Bytes => 8.0 * N;

    /// <summary>Allocates, runs the pass once and checks sampled outputs against float64.</summary>
    [GlobalSetup]
    public void Setup()
    {
        accelerator = Accelerators.Create(Device);
        var random = new Random(42);
        var hx = Enumerable.Range(0, N).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        x = accelerator.Allocate(hx);
        y = accelerator.Allocate<float>(N);
        y.Fill(float.NaN);
        Run();
        var expected = DropoutReference.Forward(hx.Select(v => (double)v).ToArray(), P, 7, 0);
        var samples = Enumerable.Range(0, 4096).Select(_ => random.Next(N)).Select(i => (i, expected[i])).ToList();
        Verify.Close($"Dropout {(Backward ? "backward" : "forward")} ({Batch}, {Features}) on {Device}", samples, y.ToArray(), 1e-6, 1e-5);
    }

    /// <summary>Frees the buffers and the accelerator.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        x.Dispose();
        y.Dispose();
        accelerator.Dispose();
    }

    /// <summary>One launch of the pass.</summary>
    [Benchmark]
    public void Drop()
    {
        Run();
        accelerator.Synchronize();
        // A fresh mask each step, as in training (the verified run used step 0).
        step++;
    }

    private void Run()
    {
        if (Backward)
        {
            Dropout.Backward(accelerator, x.View, y.View, P, 7, step);
        }
        else
        {
            Dropout.Forward(accelerator, x.View, y.View, P, 7, step);
        }
    }
}
