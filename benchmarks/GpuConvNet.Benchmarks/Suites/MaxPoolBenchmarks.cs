using System.Globalization;
using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>Which pass of max pooling a case times.</summary>
public enum PoolPass
{
    /// <summary>y and argmax from x.</summary>
    Forward,

    /// <summary>dx from dy and argmax, variant 0 (gather over every window containing the input).</summary>
    BackwardGather,

    /// <summary>dx from dy and argmax, variant 1 (disjoint windows: one lookup, no loops).</summary>
    BackwardDisjoint,
}

/// <summary>
/// Max pooling 2×2 stride 2 at the model's layer shapes (C×H×W of its pooled activations) and batch sizes, forward
/// and backward, on each accelerator; checked against the float64 reference before timing. Memory-bound: the GB/s
/// column counts x read and y + argmax written (forward), dy + argmax read and dx written (backward); GFLOP/s counts
/// one comparison per window tap (forward) and one add per input (backward).
/// </summary>
public class MaxPoolBenchmarks : DeviceBenchmark
{
    private MemoryBuffer<float> x = null!;
    private MemoryBuffer<float> y = null!;
    private MemoryBuffer<int> argmax = null!;
    private MemoryBuffer<float> dx = null!;

    /// <summary>Batch size N.</summary>
    [Params(64, 256)]
    public int Batch { get; set; } = 64;

    /// <summary>C×H×W of the pooled activations.</summary>
    [Params("64x24x24", "6x28x28", "16x10x10")]
    public string Layer { get; set; } = "64x24x24";

    /// <summary>Forward or backward.</summary>
    [ParamsAllValues]
    public PoolPass Pass { get; set; }

    private Pool2DShape Shape
    {
        get
        {
            var d = Layer.Split('x').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            return Pool2DShape.Square(Batch, d[0], d[1], d[2], 2, 2);
        }
    }

    private MaxPoolBackwardVariant Variant => Pass == PoolPass.BackwardGather ? MaxPoolBackwardVariant.Gather : MaxPoolBackwardVariant.Disjoint;

    /// <inheritdoc />
    public override double Flops => Pass == PoolPass.Forward ? 4.0 * Shape.OutputLength : Shape.InputLength;

    /// <inheritdoc />
    public override double Bytes => 4.0 * Shape.InputLength + 8.0 * Shape.OutputLength;

    /// <summary>Allocates, runs forward and backward once and checks sampled outputs against float64.</summary>
    protected override void Prepare()
    {
        var shape = Shape;
        var random = new Random(42);
        var hx = Enumerable.Range(0, (int)shape.InputLength).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        x = Allocate(hx);
        y = Allocate<float>((int)shape.OutputLength);
        argmax = Allocate<int>((int)shape.OutputLength);
        dx = Allocate<float>((int)shape.InputLength);
        y.Fill(float.NaN);
        dx.Fill(float.NaN);
        MaxPool.Forward(Accelerator, x.View, y.View, argmax.View, shape);
        // The backward's dy is y itself: any values do.
        if (Pass != PoolPass.Forward)
        {
            MaxPool.Backward(Accelerator, y.View, argmax.View, dx.View, shape, Variant);
        }
        Accelerator.Synchronize();
        var (expectedY, expectedArgmax) = MaxPoolReference.Forward(hx, shape);
        var hy = y.ToArray();
        var expectedDx = MaxPoolReference.Backward(hy, expectedArgmax, shape);
        Verify.Close($"max pool forward {shape} on {Device}", Samples(expectedY, random), hy, 0, 0);
        Verify.Close($"max pool argmax {shape} on {Device}", Samples(expectedArgmax.Select(v => (double)v).ToArray(), random),
            argmax.ToArray().Select(v => (float)v).ToArray(), 0, 0);
        if (Pass != PoolPass.Forward)
        {
            Verify.Close($"max pool backward {Variant} {shape} on {Device}", Samples(expectedDx, random), dx.ToArray(), 1e-6, 1e-6);
        }
    }

    /// <summary>One pass.</summary>
    [Benchmark]
    public void MaxPool2x2()
    {
        if (Pass == PoolPass.Forward)
        {
            MaxPool.Forward(Accelerator, x.View, y.View, argmax.View, Shape);
        }
        else
        {
            MaxPool.Backward(Accelerator, y.View, argmax.View, dx.View, Shape, Variant);
        }
        Accelerator.Synchronize();
    }

    private static List<(int Index, double Expected)> Samples(double[] expected, Random random) =>
        Enumerable.Range(0, 4096).Select(_ => random.Next(expected.Length)).Select(i => (i, expected[i])).ToList();
}
