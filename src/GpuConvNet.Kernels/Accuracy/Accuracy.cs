using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>Which argmax kernel to run; <see cref="Auto"/> picks by backend (kernels.md says why).</summary>
public enum AccuracyVariant
{
    /// <summary>The group count on devices (fewest atomics), the atomic variant on the CPU accelerator (no barriers).</summary>
    Auto,

    /// <summary>Variant 0: one atomic per correct prediction.</summary>
    Atomic,

    /// <summary>Variant 1: one atomic per group.</summary>
    GroupCount,
}

/// <summary>Predictions and a device-side correct count for classification accuracy.</summary>
public static class Accuracy
{
    /// <summary>
    /// predictions[i] = argmax_j logits[i, j] (first maximum); correct[0] += #{i : predictions[i] = labels[i]}.
    /// logits: (n, classes) row-major, labels: (n) in [0, classes), predictions: (n), correct: (1), accumulated across
    /// calls: fill it with 0 at the start of a logging interval and read it once at the end. Asynchronous.
    /// </summary>
    public static void ArgmaxAndCount(Accelerator accelerator, ArrayView<float> logits, ArrayView<int> labels, ArrayView<int> predictions,
        ArrayView<int> correct, int n, int classes, AccuracyVariant variant = AccuracyVariant.Auto)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "Accuracy";
        ShapeCheck.Positive(op, ("n", n), ("classes", classes));
        ShapeCheck.Length(op, "logits", logits.Length, (long)n * classes, $"logits ({n}, {classes})");
        ShapeCheck.Length(op, "labels", labels.Length, n, $"labels ({n})");
        ShapeCheck.Length(op, "predictions", predictions.Length, n, $"predictions ({n})");
        ShapeCheck.Length(op, "correct", correct.Length, 1, "a counter (1)");
        if (variant == AccuracyVariant.Auto)
        {
            // The CPU accelerator runs a group's lanes as coroutines, so barriers are dear there and atomics cheap.
            variant = accelerator.Engine.Has(EngineCapabilities.ManagedLanes) ? AccuracyVariant.Atomic : AccuracyVariant.GroupCount;
        }
        if (variant == AccuracyVariant.Atomic)
        {
            accelerator.Launch(AccuracyKernels.ArgmaxAtomic, new Index1D(n), logits, labels, predictions, correct, classes);
        }
        else
        {
            accelerator.Launch(AccuracyKernels.ArgmaxGroupCount, GroupCountConfig(n), logits, labels, predictions, correct, n, classes);
        }
    }

    /// <summary>The launch shape of <see cref="AccuracyKernels.ArgmaxGroupCount"/> for n rows.</summary>
    public static KernelConfig GroupCountConfig(int n) => new(KernelConfig.GroupsFor(n, AccuracyKernels.GroupSize), AccuracyKernels.GroupSize);
}
