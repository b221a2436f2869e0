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

/// <summary>Cross-entropy with integer labels over logits (rows, classes): the mean loss and the fused softmax backward.</summary>
public static class CrossEntropy
{
    /// <summary>
    /// loss[0] = mean over rows of −log softmax(logits)[label], computed on the device. logits: (rows, classes);
    /// labels: <paramref name="rows"/> labels of <paramref name="classes"/> classes; loss: (1).
    /// </summary>
    public static void Loss(Accelerator accelerator, ArrayView<float> logits, ClassLabels labels, ArrayView<float> loss, int rows, int classes)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "CrossEntropy";
        CheckOperands(op, logits, labels, rows, classes);
        ShapeCheck.Length(op, "loss", loss.Length, 1, "a scalar loss");
        accelerator.Launch(SoftmaxKernels.CrossEntropyLoss, new KernelConfig(1, SoftmaxKernels.ReduceGroup), logits, labels.View, loss, rows, classes);
    }

    /// <summary>
    /// dlogits = (softmax(logits) − onehot(labels)) / rows: the gradient of <see cref="Loss"/> (softmax and loss fused).
    /// logits, dlogits: (rows, classes); dlogits may be logits.
    /// </summary>
    public static void Backward(Accelerator accelerator, ArrayView<float> logits, ClassLabels labels, ArrayView<float> dlogits, int rows, int classes,
        SoftmaxVariant variant = SoftmaxVariant.Auto)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "CrossEntropy backward";
        CheckOperands(op, logits, labels, rows, classes);
        ShapeCheck.Length(op, "dlogits", dlogits.Length, (long)rows * classes, $"dlogits ({rows}, {classes})");
        float scale = 1f / rows;
        if (Softmax.Pick(accelerator, variant, classes) == SoftmaxVariant.RowPerLane)
        {
            accelerator.Launch(SoftmaxKernels.CrossEntropyBackward, new Index1D(rows), logits, labels.View, dlogits, classes, scale);
        }
        else
        {
            accelerator.Launch(SoftmaxKernels.CrossEntropyBackwardGrouped, new KernelConfig(rows, SoftmaxKernels.GroupSize),
                logits, labels.View, dlogits, classes, scale);
        }
    }

    private static void CheckOperands(string op, ArrayView<float> logits, ClassLabels labels, int rows, int classes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Softmax.CheckLogits(op, "logits", logits, rows, classes);
        ShapeCheck.Agree(op, "label count and rows", labels.Count, rows);
        ShapeCheck.Agree(op, "the labels' class count and the logits' classes", labels.Classes, classes);
    }
}

/// <summary>Binary cross-entropy of probabilities (e.g. sigmoid outputs) against targets in [0, 1], mean over elements.</summary>
public static class BinaryCrossEntropy
{
    /// <summary>
    /// loss[0] = −mean(t·log p + (1 − t)·log(1 − p)), each log clamped below at −100 so that p = 0 or 1 stays finite.
    /// p, t: (n) any shape; loss: (1).
    /// </summary>
    public static void Loss(Accelerator accelerator, ArrayView<float> p, ArrayView<float> t, ArrayView<float> loss)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "BinaryCrossEntropy";
        int n = Elements(op, "p", p, t);
        ShapeCheck.Length(op, "loss", loss.Length, 1, "a scalar loss");
        accelerator.Launch(SoftmaxKernels.BinaryCrossEntropyLoss, new KernelConfig(1, SoftmaxKernels.ReduceGroup), p, t, loss, n);
    }

    /// <summary>dp = (p − t) / (p·(1 − p)) / n (denominator floored at 1e-12): the gradient of <see cref="Loss"/>. p, t, dp: (n).</summary>
    public static void Backward(Accelerator accelerator, ArrayView<float> p, ArrayView<float> t, ArrayView<float> dp)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "BinaryCrossEntropy backward";
        int n = Elements(op, "p", p, t);
        ShapeCheck.Length(op, "dp", dp.Length, n, $"dp ({n})");
        accelerator.Launch(SoftmaxKernels.BinaryCrossEntropyBackward, new Index1D(n), p, t, dp, 1f / n);
    }

    /// <summary>
    /// dz = (σ(z) − t) / n: the gradient of the mean BCE of σ(z) with respect to the logits z, sigmoid and loss fused.
    /// z, t, dz: (n); dz may be z.
    /// </summary>
    public static void BackwardFromLogits(Accelerator accelerator, ArrayView<float> z, ArrayView<float> t, ArrayView<float> dz)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "SigmoidBinaryCrossEntropy backward";
        int n = Elements(op, "z", z, t);
        ShapeCheck.Length(op, "dz", dz.Length, n, $"dz ({n})");
        accelerator.Launch(SoftmaxKernels.SigmoidBinaryCrossEntropyBackward, new Index1D(n), z, t, dz, 1f / n);
    }

    private static int Elements(string op, string name, ArrayView<float> input, ArrayView<float> t)
    {
        ShapeCheck.Positive(op, (name + " length", input.Length));
        ShapeCheck.Length(op, "t", t.Length, input.Length, $"one target per element of {name} ({input.Length})");
        return input.Length;
    }
}
