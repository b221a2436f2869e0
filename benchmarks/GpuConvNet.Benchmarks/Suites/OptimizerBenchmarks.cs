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
public class OptimizerBenchmarks : DeviceBenchmark
{
    /// <summary>Parameters of the cnn model.</summary>
    public const int Parameters = 1_199_882;

    private static readonly SgdSettings Sgd = new(0.05f, 0.9f, 5e-4f);
    private static readonly AdamSettings AdamDefaults = new(1e-3f, WeightDecay: 1e-4f);
    private MemoryBuffer<float> w = null!;
    private MemoryBuffer<float> grad = null!;
    private MemoryBuffer<float> m = null!;
    private MemoryBuffer<float> v = null!;

    /// <summary>"sgd" or "adam".</summary>
    [Params("sgd", "adam")]
    public string Optimizer { get; set; } = "sgd";

    /// <inheritdoc />
    public override double Flops => (Optimizer == "sgd" ? 6.0 : 16.0) * Parameters;

    /// <inheritdoc />
    public override double Bytes => (Optimizer == "sgd" ? 5.0 : 7.0) * sizeof(float) * Parameters;

    /// <summary>Allocates, runs three steps and checks sampled weights against float64.</summary>
    protected override void Prepare()
    {
        var random = new Random(42);
        var hostW = Enumerable.Range(0, Parameters).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var hostGrad = Enumerable.Range(0, Parameters).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        w = Allocate(hostW);
        grad = Allocate(hostGrad);
        m = Allocate<float>(Parameters);
        v = Allocate<float>(Parameters);
        m.Fill(0f);
        v.Fill(0f);
        var refW = hostW.Select(x => (double)x).ToArray();
        var refM = new double[Parameters];
        var refV = new double[Parameters];
        for (int step = 1; step <= 3; step++)
        {
            if (Optimizer == "sgd")
            {
                Kernels.Optimizer.SgdStep(Accelerator, w.View, grad.View, m.View, Sgd);
                OptimizerReference.SgdStep(refW, hostGrad, refM, Sgd);
            }
            else
            {
                Kernels.Optimizer.AdamStep(Accelerator, w.View, grad.View, m.View, v.View, AdamDefaults, step);
                OptimizerReference.AdamStep(refW, hostGrad, refM, refV, AdamDefaults, step);
            }
        }
        var samples = Enumerable.Range(0, 4096).Select(_ => random.Next(Parameters)).Select(i => (i, refW[i])).ToList();
        Verify.Close($"{Optimizer} 3 steps over {Parameters} on {Device}", samples, w.ToArray(), 1e-5, 1e-5);
    }

    /// <summary>One step (the step number only changes host-side scalars).</summary>
    [Benchmark]
    public void Step()
    {
        if (Optimizer == "sgd")
        {
            Kernels.Optimizer.SgdStep(Accelerator, w.View, grad.View, m.View, Sgd);
        }
        else
        {
            Kernels.Optimizer.AdamStep(Accelerator, w.View, grad.View, m.View, v.View, AdamDefaults, 10);
        }
        Accelerator.Synchronize();
    }
}
