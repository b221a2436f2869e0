using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Per-device ranking of the max-pooling kernels through <see cref="KernelTuning"/>, forward (general against 2×2) and
/// backward (gather, disjoint cells, 2×2), measured on the first pooling of `fast` (128 images, 16 channels of 28×28,
/// 2×2 windows, stride 2), where every variant applies: three races of two rounds each, ranked by median, the first
/// time a device pools. A shape takes the fastest variant that applies to it.
/// </summary>
public static class MaxPoolTuning
{
    /// <summary>The pooling measured.</summary>
    public static readonly Pool2DShape Shape = Pool2DShape.Square(128, 16, 28, 28, 2, 2);

    /// <summary>The name the forward ranking is kept under (file <c>maxpool-forward-….txt</c> in <see cref="KernelTuning.CacheDirectory"/>).</summary>
    public const string ForwardOp = "maxpool-forward";

    /// <summary>The name the backward ranking is kept under.</summary>
    public const string BackwardOp = "maxpool-backward";

    /// <summary>The forward variants ranked.</summary>
    public static IReadOnlyList<MaxPoolForwardVariant> ForwardCandidates { get; } = [MaxPoolForwardVariant.General, MaxPoolForwardVariant.Window2x2];

    /// <summary>The backward variants ranked.</summary>
    public static IReadOnlyList<MaxPoolBackwardVariant> BackwardCandidates { get; } =
        [MaxPoolBackwardVariant.Gather, MaxPoolBackwardVariant.Disjoint, MaxPoolBackwardVariant.Window2x2];

    /// <summary>The fastest forward variant on <paramref name="accelerator"/>'s device that applies to <paramref name="shape"/>.</summary>
    public static MaxPoolForwardVariant FastestForward(Accelerator accelerator, Pool2DShape shape)
    {
        // Asked at every launch: a loop, not a capturing lambda.
        foreach (var variant in KernelTuning.Ranking(accelerator, ForwardOp, ForwardCandidates, ForwardRates))
        {
            if (variant != MaxPoolForwardVariant.Window2x2 || shape.IsWhole2x2)
            {
                return variant;
            }
        }
        return MaxPoolForwardVariant.General;
    }

    /// <summary>The fastest backward variant on <paramref name="accelerator"/>'s device that applies to <paramref name="shape"/>.</summary>
    public static MaxPoolBackwardVariant FastestBackward(Accelerator accelerator, Pool2DShape shape)
    {
        foreach (var variant in KernelTuning.Ranking(accelerator, BackwardOp, BackwardCandidates, BackwardRates))
        {
            bool applies = variant switch
            {
                MaxPoolBackwardVariant.Window2x2 => shape.IsWhole2x2,
                MaxPoolBackwardVariant.Disjoint => shape.IsDisjoint,
                _ => true,
            };
            if (applies)
            {
                return variant;
            }
        }
        return MaxPoolBackwardVariant.Gather;
    }

    /// <summary>Measures the forward variants again, keeps the ranking and returns the measurement (for <c>gpuconvnet tune</c>).</summary>
    public static TuningResult<MaxPoolForwardVariant> TuneForward(Accelerator accelerator) => KernelTuning.Tune(accelerator, ForwardOp, ForwardRates);

    /// <summary>Measures the backward variants again, keeps the ranking and returns the measurement.</summary>
    public static TuningResult<MaxPoolBackwardVariant> TuneBackward(Accelerator accelerator) => KernelTuning.Tune(accelerator, BackwardOp, BackwardRates);

    /// <summary>GB/s of each forward variant on <see cref="Shape"/>: x read, y and argmax written.</summary>
    public static IReadOnlyDictionary<MaxPoolForwardVariant, double> ForwardRates(Accelerator accelerator)
    {
        using var buffers = new Buffers(accelerator);
        var seconds = KernelTuning.Race(accelerator, ForwardCandidates.Select(variant => (variant, (Action)(() =>
            MaxPool.Forward(accelerator, buffers.X.View, buffers.Y.View, buffers.Argmax.View, Shape, variant)))).ToList());
        return seconds.ToDictionary(s => s.Key, s => 4.0 * (Shape.InputLength + 2 * Shape.OutputLength) / s.Value / 1e9);
    }

    /// <summary>GB/s of each backward variant on <see cref="Shape"/>: dy and argmax read, dx written.</summary>
    public static IReadOnlyDictionary<MaxPoolBackwardVariant, double> BackwardRates(Accelerator accelerator)
    {
        using var buffers = new Buffers(accelerator);
        MaxPool.Forward(accelerator, buffers.X.View, buffers.Y.View, buffers.Argmax.View, Shape, MaxPoolForwardVariant.General);
        var seconds = KernelTuning.Race(accelerator, BackwardCandidates.Select(variant => (variant, (Action)(() =>
            MaxPool.Backward(accelerator, buffers.Y.View, buffers.Argmax.View, buffers.X.View, Shape, variant)))).ToList());
        return seconds.ToDictionary(s => s.Key, s => 4.0 * (2 * Shape.OutputLength + Shape.InputLength) / s.Value / 1e9);
    }

    // x (and dx), y (and dy) and argmax of Shape, x random.
    private sealed class Buffers : IDisposable
    {
        public Buffers(Accelerator accelerator)
        {
            ArgumentNullException.ThrowIfNull(accelerator);
            var random = new Random(1);
            X = accelerator.Allocate(Enumerable.Range(0, (int)Shape.InputLength).Select(_ => (float)random.NextDouble()).ToArray());
            Y = accelerator.Allocate<float>((int)Shape.OutputLength);
            Argmax = accelerator.Allocate<int>((int)Shape.OutputLength);
        }

        public MemoryBuffer<float> X { get; }

        public MemoryBuffer<float> Y { get; }

        public MemoryBuffer<int> Argmax { get; }

        public void Dispose()
        {
            X.Dispose();
            Y.Dispose();
            Argmax.Dispose();
        }
    }
}
