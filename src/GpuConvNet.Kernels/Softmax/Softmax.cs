using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>Which row kernel to run; <see cref="Auto"/> picks by row length (kernels.md says why).</summary>
public enum SoftmaxVariant
{
    /// <summary>One group per row on GPUs for rows of at least <see cref="SoftmaxKernels.GroupSize"/>, else one lane per row.</summary>
    Auto,

    /// <summary>Variant 0: one lane per row.</summary>
    RowPerLane,

    /// <summary>Variant 1: one group of <see cref="SoftmaxKernels.GroupSize"/> lanes per row.</summary>
    RowPerGroup,
}

/// <summary>Softmax and log-softmax over the rows of x: (rows, classes) row-major.</summary>
public static class Softmax
{
    /// <summary>y = softmax(x) per row (or log-softmax when <paramref name="log"/>). x, y: (rows, classes); y may be x.</summary>
    public static void Forward(Accelerator accelerator, ArrayView<float> x, ArrayView<float> y, int rows, int classes, bool log = false,
        SoftmaxVariant variant = SoftmaxVariant.Auto)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        string op = log ? "LogSoftmax" : "Softmax";
        CheckLogits(op, "x", x, rows, classes);
        ShapeCheck.Length(op, "y", y.Length, (long)rows * classes, $"y ({rows}, {classes})");
        if (Pick(accelerator, variant, classes) == SoftmaxVariant.RowPerLane)
        {
            accelerator.Launch(SoftmaxKernels.Rows, new Index1D(rows), x, y, classes, log ? 1 : 0);
        }
        else
        {
            accelerator.Launch(SoftmaxKernels.RowsGrouped, new KernelConfig(rows, SoftmaxKernels.GroupSize), x, y, classes, log ? 1 : 0);
        }
    }

    /// <summary>y = log-softmax(x) per row: x − max − log Σ e^(x − max). x, y: (rows, classes).</summary>
    public static void LogForward(Accelerator accelerator, ArrayView<float> x, ArrayView<float> y, int rows, int classes,
        SoftmaxVariant variant = SoftmaxVariant.Auto) => Forward(accelerator, x, y, rows, classes, log: true, variant);

    /// <summary>
    /// Auto: a group per row only on GPUs and only for rows of at least a group's length. A lane per row leaves a GPU
    /// mostly idle at batch 64–256, but on CPU devices (PoCL) the group's barriers cost more than they save: measured
    /// equal at 1000 classes and 25–100× slower at 10 (kernels.md).
    /// </summary>
    internal static SoftmaxVariant Pick(Accelerator accelerator, SoftmaxVariant variant, int classes) =>
        variant != SoftmaxVariant.Auto ? variant
        : accelerator.Device.Type == DeviceType.Gpu && classes >= SoftmaxKernels.GroupSize ? SoftmaxVariant.RowPerGroup
        : SoftmaxVariant.RowPerLane;

    internal static void CheckLogits(string op, string name, ArrayView<float> x, int rows, int classes)
    {
        ShapeCheck.Positive(op, ("rows", rows), ("classes", classes));
        ShapeCheck.Length(op, name, x.Length, (long)rows * classes, $"{name} ({rows}, {classes})");
    }
}
