using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// The convolution layers of the models, each pass timed with both fast algorithms — variant 1 im2col + GEMM
/// (baseline) and variant 2 direct — on each accelerator, at batch 64 and 256. FLOPs per pass = 2·N·K·C·R·S·P·Q.
/// Every algorithm is checked against float64 sums at sampled positions before anything is timed.
/// </summary>
public abstract class Conv2DBenchmarks : DeviceBenchmark
{
    /// <summary>The layers: C-K_RxS_H_pPad (stride 1, square inputs).</summary>
    private static readonly Dictionary<string, (int C, int H, int K, int R, int Pad)> Layers = new()
    {
        ["1-32_3x3_28_p0"] = (1, 28, 32, 3, 0),
        ["1-32_3x3_28_p1"] = (1, 28, 32, 3, 1),
        ["32-64_3x3_26_p0"] = (32, 26, 64, 3, 0),
        ["32-64_3x3_28_p1"] = (32, 28, 64, 3, 1),
        ["1-6_5x5_28_p2"] = (1, 28, 6, 5, 2),
        ["6-16_5x5_14_p0"] = (6, 14, 16, 5, 0),
    };

    private Conv2DWorkspace workspace = null!;

    /// <summary>Batch size N.</summary>
    [Params(64, 256)]
    public int Batch { get; set; } = 64;

    /// <summary>The layer (see <see cref="Layers"/>).</summary>
    [ParamsSource(nameof(LayerNames))]
    public string Layer { get; set; } = "32-64_3x3_28_p1";

    /// <summary>Every layer of the models.</summary>
    public static IEnumerable<string> LayerNames => Layers.Keys;

    /// <summary>The convolution timed.</summary>
    public Conv2DShape Shape
    {
        get
        {
            var (c, h, k, r, pad) = Layers[Layer];
            return new Conv2DShape(Batch, c, h, h, k, r, r, 1, pad);
        }
    }

    /// <inheritdoc />
    public override double Flops => Shape.Flops;

    /// <summary>x (N, C, H, W) on the host.</summary>
    protected float[] HostX { get; private set; } = [];

    /// <summary>weights (K, C, R, S) on the host.</summary>
    protected float[] HostWeights { get; private set; } = [];

    /// <summary>bias (K) on the host.</summary>
    protected float[] HostBias { get; private set; } = [];

    /// <summary>dy (N, K, P, Q) on the host.</summary>
    protected float[] HostDy { get; private set; } = [];

    /// <summary>x on the device.</summary>
    protected MemoryBuffer<float> X { get; private set; } = null!;

    /// <summary>weights on the device.</summary>
    protected MemoryBuffer<float> Weights { get; private set; } = null!;

    /// <summary>bias (K) on the device.</summary>
    protected MemoryBuffer<float> Bias { get; private set; } = null!;

    /// <summary>dy on the device.</summary>
    protected MemoryBuffer<float> Dy { get; private set; } = null!;

    /// <summary>The pass's output on the device.</summary>
    protected MemoryBuffer<float> Output { get; private set; } = null!;

    /// <summary>db (K) on the device.</summary>
    protected MemoryBuffer<float> DBias { get; private set; } = null!;

    /// <summary>Allocates, runs each algorithm once and checks sampled outputs against float64.</summary>
    protected override void Prepare()
    {
        var shape = Shape;
        var random = new Random(42);
        HostX = Enumerable.Range(0, shape.XLength).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        HostWeights = Enumerable.Range(0, shape.WeightsLength).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        HostDy = Enumerable.Range(0, shape.YLength).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        X = Allocate(HostX);
        Weights = Allocate(HostWeights);
        HostBias = Enumerable.Range(0, shape.K).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        Bias = Allocate(HostBias);
        Dy = Allocate(HostDy);
        Output = Allocate<float>(OutputLength);
        DBias = Allocate<float>(shape.K);
        workspace = Own(new Conv2DWorkspace(Accelerator));
        foreach (var algorithm in new[] { Conv2DAlgorithm.Im2ColGemm, Conv2DAlgorithm.Direct, Conv2DAlgorithm.Direct8 })
        {
            workspace.Reserve(shape, algorithm);
            Output.Fill(float.NaN);
            Run(algorithm, workspace);
            var samples = Enumerable.Range(0, 64).Select(_ => random.Next(OutputLength)).Select(i => (i, Reference(i))).ToList();
            // Sums of up to N·P·Q float32 products: 2e-6 per term, as in the tests.
            Verify.Close($"conv2d {GetType().Name} {algorithm} {shape} on {Device}", samples, Output.ToArray(), 2e-6 * Terms, 1e-5);
        }
    }

    /// <summary>Variant 1: im2col (col2im) per image and the matmul library.</summary>
    [Benchmark(Baseline = true)]
    public void Im2ColGemm()
    {
        Run(Conv2DAlgorithm.Im2ColGemm, workspace);
        Accelerator.Synchronize();
    }

    /// <summary>Variant 2: zero-padded copy, then the register-blocked direct kernel.</summary>
    [Benchmark]
    public void Direct()
    {
        Run(Conv2DAlgorithm.Direct, workspace);
        Accelerator.Synchronize();
    }

    /// <summary>Variant 3: variant 2 with 8 output channels per lane in the stride-1 forward (and backward-data) kernel.</summary>
    [Benchmark]
    public void Direct8()
    {
        Run(Conv2DAlgorithm.Direct8, workspace);
        Accelerator.Synchronize();
    }

    /// <summary>Elements of the pass's output.</summary>
    protected abstract int OutputLength { get; }

    /// <summary>Terms summed into one output element (for the tolerance).</summary>
    protected abstract int Terms { get; }

    /// <summary>Queues the pass with <paramref name="algorithm"/>.</summary>
    protected abstract void Run(Conv2DAlgorithm algorithm, Conv2DWorkspace scratch);

    /// <summary>Output element <paramref name="index"/> in float64.</summary>
    protected abstract double Reference(int index);

    /// <summary>x[n, c, h, w], or 0 in the padding.</summary>
    protected double XAt(int n, int c, int h, int w)
    {
        var s = Shape;
        return h >= 0 && h < s.H && w >= 0 && w < s.W ? HostX[((n * s.C + c) * s.H + h) * s.W + w] : 0;
    }
}

/// <summary>Forward with the fused bias + ReLU epilogue: reads x and weights, writes y.</summary>
public class Conv2DForwardBenchmarks : Conv2DBenchmarks
{
    /// <inheritdoc />
    public override double Bytes => 4.0 * (Shape.XLength + Shape.WeightsLength + Shape.YLength);

    /// <inheritdoc />
    protected override int OutputLength => Shape.YLength;

    /// <inheritdoc />
    protected override int Terms => Shape.C * Shape.R * Shape.S;

    /// <inheritdoc />
    protected override void Run(Conv2DAlgorithm algorithm, Conv2DWorkspace scratch) =>
        Conv2D.Forward(Accelerator, Shape, X.View, Weights.View, Bias.View, Output.View, scratch, relu: true, algorithm: algorithm);

    /// <inheritdoc />
    protected override double Reference(int index)
    {
        var s = Shape;
        int q = index % s.Q, p = index / s.Q % s.P, k = index / (s.Q * s.P) % s.K, n = index / (s.Q * s.P * s.K);
        double sum = HostBias[k];
        for (int c = 0; c < s.C; c++)
        {
            for (int r = 0; r < s.R; r++)
            {
                for (int t = 0; t < s.S; t++)
                {
                    sum += XAt(n, c, p * s.Stride + r - s.Padding, q * s.Stride + t - s.Padding) * HostWeights[((k * s.C + c) * s.R + r) * s.S + t];
                }
            }
        }
        return Math.Max(sum, 0);
    }
}

/// <summary>Backward-data: reads dy and weights, writes dx.</summary>
public class Conv2DBackwardDataBenchmarks : Conv2DBenchmarks
{
    /// <inheritdoc />
    public override double Bytes => 4.0 * (Shape.YLength + Shape.WeightsLength + Shape.XLength);

    /// <inheritdoc />
    protected override int OutputLength => Shape.XLength;

    /// <inheritdoc />
    protected override int Terms => Shape.K * Shape.R * Shape.S;

    /// <inheritdoc />
    protected override void Run(Conv2DAlgorithm algorithm, Conv2DWorkspace scratch) =>
        Conv2D.BackwardData(Accelerator, Shape, Dy.View, Weights.View, Output.View, scratch, algorithm);

    /// <inheritdoc />
    protected override double Reference(int index)
    {
        var s = Shape;
        int w = index % s.W, h = index / s.W % s.H, c = index / (s.W * s.H) % s.C, n = index / (s.W * s.H * s.C);
        double sum = 0;
        for (int k = 0; k < s.K; k++)
        {
            for (int r = 0; r < s.R; r++)
            {
                for (int t = 0; t < s.S; t++)
                {
                    int p = h + s.Padding - r, q = w + s.Padding - t;
                    if (p >= 0 && p < s.P && q >= 0 && q < s.Q)
                    {
                        sum += (double)HostDy[((n * s.K + k) * s.P + p) * s.Q + q] * HostWeights[((k * s.C + c) * s.R + r) * s.S + t];
                    }
                }
            }
        }
        return sum;
    }
}

/// <summary>Backward-weights with the bias gradient: reads x and dy, writes dW and db.</summary>
public class Conv2DBackwardWeightsBenchmarks : Conv2DBenchmarks
{
    /// <inheritdoc />
    public override double Bytes => 4.0 * (Shape.XLength + Shape.YLength + Shape.WeightsLength + Shape.K);

    /// <inheritdoc />
    protected override int OutputLength => Shape.WeightsLength;

    /// <inheritdoc />
    protected override int Terms => Shape.N * Shape.P * Shape.Q;

    /// <inheritdoc />
    protected override void Run(Conv2DAlgorithm algorithm, Conv2DWorkspace scratch) =>
        Conv2D.BackwardWeights(Accelerator, Shape, X.View, Dy.View, Output.View, DBias.View, scratch, algorithm);

    /// <inheritdoc />
    protected override double Reference(int index)
    {
        var s = Shape;
        int t = index % s.S, r = index / s.S % s.R, c = index / (s.S * s.R) % s.C, k = index / (s.S * s.R * s.C);
        double sum = 0;
        for (int n = 0; n < s.N; n++)
        {
            for (int p = 0; p < s.P; p++)
            {
                for (int q = 0; q < s.Q; q++)
                {
                    sum += XAt(n, c, p * s.Stride + r - s.Padding, q * s.Stride + t - s.Padding) * HostDy[((n * s.K + k) * s.P + p) * s.Q + q];
                }
            }
        }
        return sum;
    }
}
