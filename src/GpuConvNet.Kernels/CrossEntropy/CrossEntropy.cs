using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

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
        accelerator.Launch(CrossEntropyKernels.Loss, new KernelConfig(1, CrossEntropyKernels.ReduceGroup), logits, labels.View, loss, rows, classes);
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
            accelerator.Launch(CrossEntropyKernels.Backward, new Index1D(rows), logits, labels.View, dlogits, classes, scale);
        }
        else
        {
            accelerator.Launch(CrossEntropyKernels.BackwardGrouped, new KernelConfig(rows, SoftmaxKernels.GroupSize),
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
