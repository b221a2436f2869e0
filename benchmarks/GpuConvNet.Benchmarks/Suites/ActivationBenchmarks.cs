using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>The element-wise op a case times.</summary>
public enum ActivationOp
{
    /// <summary>y = max(x, 0).</summary>
    Relu,

    /// <summary>dx = dy · [y &gt; 0].</summary>
    ReluBackward,

    /// <summary>y = σ(x).</summary>
    Sigmoid,

    /// <summary>dx = dy · y · (1 − y).</summary>
    SigmoidBackward,
}

/// <summary>
/// ReLU and sigmoid at the model's activation shapes (N, 9216) and (N, 128), on each accelerator; checked against the
/// float64 references before timing. Memory-bound: GB/s counts 4 bytes per element per operand (8 for forwards, 12 for
/// the backwards that also read y); GFLOP/s counts the float operations per element (σ: negate, exp, add, divide = 4;
/// its backward 3; ReLU's 1).
/// </summary>
public class ActivationBenchmarks : DeviceBenchmark
{
    private MemoryBuffer<float> x = null!;
    private MemoryBuffer<float> y = null!;
    private MemoryBuffer<float> dy = null!;
    private MemoryBuffer<float> dx = null!;

    /// <summary>Batch size N.</summary>
    [Params(64, 256)]
    public int Batch { get; set; } = 64;

    /// <summary>Features per sample.</summary>
    [Params(9216, 128)]
    public int Features { get; set; } = 9216;

    /// <summary>The op.</summary>
    [ParamsAllValues]
    public ActivationOp Op { get; set; }

    private int N => Batch * Features;

    /// <inheritdoc />
    public override double Flops => (Op switch { ActivationOp.Sigmoid => 4.0, ActivationOp.SigmoidBackward => 3.0, _ => 1.0 }) * N;

    /// <inheritdoc />
    public override double Bytes => (Op is ActivationOp.ReluBackward or ActivationOp.SigmoidBackward ? 12.0 : 8.0) * N;

    /// <summary>Allocates, runs the op once and checks sampled outputs against float64.</summary>
    protected override void Prepare()
    {
        var random = new Random(42);
        var hx = Enumerable.Range(0, N).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray();
        var hdy = Enumerable.Range(0, N).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        x = Allocate(hx);
        dy = Allocate(hdy);
        y = Allocate<float>(N);
        dx = Allocate<float>(N);
        // The backwards read y: make it the forward's output.
        if (Op is ActivationOp.SigmoidBackward)
        {
            Activation.Sigmoid(Accelerator, x.View, y.View);
        }
        else
        {
            Activation.Relu(Accelerator, x.View, y.View);
        }
        var hy = y.ToArray();
        var output = Op is ActivationOp.Relu or ActivationOp.Sigmoid ? y : dx;
        output.Fill(float.NaN);
        Run();
        var xd = hx.Select(v => (double)v).ToArray();
        var yd = hy.Select(v => (double)v).ToArray();
        var dyd = hdy.Select(v => (double)v).ToArray();
        var expected = Op switch
        {
            ActivationOp.Relu => ActivationReference.Relu(xd),
            ActivationOp.ReluBackward => ActivationReference.ReluBackward(yd, dyd),
            ActivationOp.Sigmoid => ActivationReference.Sigmoid(xd),
            _ => ActivationReference.SigmoidBackward(yd, dyd),
        };
        var samples = Enumerable.Range(0, 4096).Select(_ => random.Next(N)).Select(i => (i, expected[i])).ToList();
        Verify.Close($"{Op} ({Batch}, {Features}) on {Device}", samples, output.ToArray(), 1e-6, 1e-5);
    }

    /// <summary>One launch of the op.</summary>
    [Benchmark]
    public void Activate()
    {
        Run();
        Accelerator.Synchronize();
    }

    private void Run()
    {
        switch (Op)
        {
            case ActivationOp.Relu:
                Activation.Relu(Accelerator, x.View, y.View);
                break;
            case ActivationOp.ReluBackward:
                Activation.ReluBackward(Accelerator, y.View, dy.View, dx.View);
                break;
            case ActivationOp.Sigmoid:
                Activation.Sigmoid(Accelerator, x.View, y.View);
                break;
            default:
                Activation.SigmoidBackward(Accelerator, y.View, dy.View, dx.View);
                break;
        }
    }
}
