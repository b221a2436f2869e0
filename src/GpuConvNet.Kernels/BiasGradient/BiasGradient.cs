using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>Which bias-gradient kernel to run; <see cref="Auto"/> picks by shape (kernels.md says why).</summary>
public enum BiasGradientVariant
{
    /// <summary>Group per channel on GPUs when space &gt; 1; plane-blocked on CPUs when space ≥ 16; else per channel.</summary>
    Auto,

    /// <summary>Variant 0: one lane per channel.</summary>
    PerChannel,

    /// <summary>Variant 1: one group per channel with a shared-memory tree.</summary>
    GroupPerChannel,

    /// <summary>Variant 2: one lane per channel with sixteen partial sums along the plane.</summary>
    PlaneBlocked,
}

/// <summary>The bias gradient of dense and convolution layers: the upstream gradient summed over batch and space.</summary>
public static class BiasGradient
{
    /// <summary>
    /// db[c] = Σ_n Σ_s dy[n, c, s]. dy: (n, channels, space) row-major (NCHW with space = H·W), db: (channels),
    /// overwritten. Asynchronous like any launch.
    /// </summary>
    public static void SumOverBatchAndSpace(Accelerator accelerator, ArrayView<float> dy, ArrayView<float> db, int n, int channels, int space,
        BiasGradientVariant variant = BiasGradientVariant.Auto)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "BiasGradient";
        ShapeCheck.Positive(op, ("n", n), ("channels", channels), ("space", space));
        ShapeCheck.Length(op, "dy", dy.Length, (long)n * channels * space, $"dy ({n}, {channels}, {space})");
        ShapeCheck.Length(op, "db", db.Length, channels, $"db ({channels})");
        if (variant == BiasGradientVariant.Auto)
        {
            // Dense: lanes over columns read rows contiguously. Convolutions on GPUs: few channels, long planes, so one
            // group per channel gives 256 lanes per channel instead of one. On CPUs barriers cost more than the
            // parallelism gains (PoCL: variant 1 measured 3-5x slower than variant 0 at (n, 32, 26·26); kernels.md).
            // On CPUs, planes of 16 and more vectorise with sixteen partial sums per lane (what convolutions used).
            variant = space > 1 && accelerator.Device.Type == DeviceType.Gpu ? BiasGradientVariant.GroupPerChannel
                : space >= 16 ? BiasGradientVariant.PlaneBlocked
                : BiasGradientVariant.PerChannel;
        }
        switch (variant)
        {
            case BiasGradientVariant.PerChannel:
                accelerator.Launch(BiasGradientKernels.PerChannel, new Index1D(channels), dy, db, n, channels, space);
                break;
            case BiasGradientVariant.PlaneBlocked:
                accelerator.Launch(BiasGradientKernels.PlaneBlocked, new Index1D(channels), dy, db, n, channels, space);
                break;
            default:
                accelerator.Launch(BiasGradientKernels.GroupPerChannel, GroupPerChannelConfig(channels), dy, db, n, channels, space);
                break;
        }
    }

    /// <summary>db[j] = Σ_n dy[n, j] for a dense layer: dy (n, features) row-major, db (features), overwritten.</summary>
    public static void Dense(Accelerator accelerator, ArrayView<float> dy, ArrayView<float> db, int n, int features,
        BiasGradientVariant variant = BiasGradientVariant.Auto) =>
        SumOverBatchAndSpace(accelerator, dy, db, n, features, 1, variant);

    /// <summary>The launch shape of <see cref="BiasGradientKernels.GroupPerChannel"/>: one group per channel.</summary>
    public static KernelConfig GroupPerChannelConfig(int channels) => new(channels, BiasGradientKernels.GroupSize);
}
