using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// One optimiser step over the cnn model's 1,199,882 parameters: SGD with momentum and weight decay (reads w, grad, v;
/// writes w, v: 20 bytes and 6 flops per parameter) and Adam (reads w, grad, m, v; writes w, m, v: 28 bytes and
/// 16 flops per parameter). Checked against float64 (three steps) before timing.
/// </summary>
public class OptimizerBenchmarks : IWorkload
{
    /// <summary>Parameters of the cnn model.</summary>
    public const int Parameters = 1_199_882;

    private static readonly SgdSettings Sgd = new(0.05f, 0.9f, 5e-4f);
    private static readonly AdamSettings AdamDefaults = new(1e-3f, WeightDecay: 1e-4f);
    private Accelerator accelerator = null!;
    private MemoryBuffer<float> w = null!;
    private MemoryBuffer<float> grad = null!;
    private MemoryBuffer<float> m = null!;
    private MemoryBuffer<float> v = null!;

    /// <summary>Device id.</summary>
    [ParamsSource(nameof(Devices))]
    public string Device { get; set; } = "cpu";

    /// <summary>"sgd" or "adam".</summary>
    [Params("sgd", "adam")]
    public string Optimizer { get; set; } = "sgd";

    /// <summary>Devices found here.</summary>
    public static IEnumerable<string> Devices => DeviceParameter.All();

    /// <inheritdoc />
    public double Flops => (Optimizer == "sgd" ? 6.0 : 16.0) * Parameters;

    /// <inheritdoc />
    public double Bytes => (Optimizer == "sgd" ? 5.0 : 7.0) * sizeof(float) * Parameters;

    /// <summary>Allocates, runs three steps and checks sampled weights against float64.</summary>
    [GlobalSetup]
    public void Setup()
    {
        accelerator = Accelerators.Create(Device);
        var random = new Random(42);
        var hostW = Enumerable.Range(0, Parameters).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var hostGrad = Enumerable.Range(0, Parameters).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        w = accelerator.Allocate(hostW);
        grad = accelerator.Allocate(hostGrad);
        m = accelerator.Allocate<float>(Parameters);
        v = accelerator.Allocate<float>(Parameters);
        m.Fill(0f);
        v.Fill(0f);
        var refW = hostW.Select(x => (double)x).ToArray();
        var refM = new double[Parameters];
        var refV = new double[Parameters];
        for (int step = 1; step <= 3; step++)
        {
            if (Optimizer == "sgd")
            {
                Kernels.Optimizer.SgdStep(accelerator, w.View, grad.View, m.View, Sgd);
                OptimizerReference.SgdStep(refW, hostGrad, refM, Sgd);
            }
            else
            {
                Kernels.Optimizer.AdamStep(accelerator, w.View, grad.View, m.View, v.View, AdamDefaults, step);
                OptimizerReference.AdamStep(refW, hostGrad, refM, refV, AdamDefaults, step);
            }
        }
        var samples = Enumerable.Range(0, 4096).Select(_ => random.Next(Parameters)).Select(i => (i, refW[i])).ToList();
        Verify.Close($"{Optimizer} 3 steps over {Parameters} on {Device}", samples, w.ToArray(), 1e-5, 1e-5);
    }

    /// <summary>Frees the buffers and the accelerator.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        w.Dispose();
        grad.Dispose();
        m.Dispose();
        v.Dispose();
        accelerator.Dispose();
    }

    /// <summary>One step (the step number only changes host-side scalars).</summary>
    [Benchmark]
    public void Step()
    {
        if (Optimizer == "sgd")
        {
            Kernels.Optimizer.SgdStep(accelerator, w.View, grad.View, m.View, Sgd);
        }
        else
        {
            Kernels.Optimizer.AdamStep(accelerator, w.View, grad.View, m.View, v.View, AdamDefaults, 10);
        }
        accelerator.Synchronize();
    }
}
