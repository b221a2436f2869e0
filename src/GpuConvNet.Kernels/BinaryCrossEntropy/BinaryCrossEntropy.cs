using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

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
        accelerator.Launch(BinaryCrossEntropyKernels.Loss, new KernelConfig(1, CrossEntropyKernels.ReduceGroup), p, t, loss, n);
    }

    /// <summary>dp = (p − t) / (p·(1 − p)) / n (denominator floored at 1e-12): the gradient of <see cref="Loss"/>. p, t, dp: (n).</summary>
    public static void Backward(Accelerator accelerator, ArrayView<float> p, ArrayView<float> t, ArrayView<float> dp)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "BinaryCrossEntropy backward";
        int n = Elements(op, "p", p, t);
        ShapeCheck.Length(op, "dp", dp.Length, n, $"dp ({n})");
        accelerator.Launch(BinaryCrossEntropyKernels.Backward, new Index1D(n), p, t, dp, 1f / n);
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
        accelerator.Launch(BinaryCrossEntropyKernels.SigmoidBackward, new Index1D(n), z, t, dz, 1f / n);
    }

    private static int Elements(string op, string name, ArrayView<float> input, ArrayView<float> t)
    {
        ShapeCheck.Positive(op, (name + " length", input.Length));
        ShapeCheck.Length(op, "t", t.Length, input.Length, $"one target per element of {name} ({input.Length})");
        return input.Length;
    }
}
