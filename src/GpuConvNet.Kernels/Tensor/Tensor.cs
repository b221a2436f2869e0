using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// The small whole-tensor ops that layers and the training loop share (copy, one-hot, weighted accumulate), with
/// the shape checks every op runs before it launches. Kernels: <see cref="TensorKernels"/>; reference:
/// <see cref="TensorReference"/>.
/// </summary>
public static class Tensor
{
    private const string Op = "Tensor";

    /// <summary>destination = source. source, destination: (n).</summary>
    public static void Copy(Accelerator accelerator, ArrayView<float> source, ArrayView<float> destination)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        ShapeCheck.Positive(Op + ".Copy", ("n", source.Length));
        ShapeCheck.Length(Op + ".Copy", "destination", destination.Length, source.Length, $"the source ({source.Length})");
        accelerator.Launch(TensorKernels.CopyInto, new Index1D(source.Length), source, destination);
    }

    /// <summary>targets[n, c] = 1 if labels[n] == c else 0. labels: (N) in [0, classes); targets: (N, classes).</summary>
    public static void OneHot(Accelerator accelerator, ArrayView<int> labels, ArrayView<float> targets, int classes)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        ShapeCheck.Positive(Op + ".OneHot", ("N", labels.Length), ("classes", classes));
        ShapeCheck.Length(Op + ".OneHot", "targets", targets.Length, (long)labels.Length * classes, $"({labels.Length}, {classes})");
        accelerator.Launch(TensorKernels.OneHot, new Index1D(targets.Length), labels, targets, classes);
    }

    /// <summary>
    /// sum[0] += value[0] · weight, on the device (a batch's mean loss weighted by its size, into the interval's total):
    /// the host reads the total once per interval instead of once per batch.
    /// </summary>
    public static void AccumulateScalar(Accelerator accelerator, ArrayView<float> value, ArrayView<float> sum, float weight)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        ShapeCheck.Length(Op + ".AccumulateScalar", "value", value.Length, 1, "a scalar (1)");
        ShapeCheck.Length(Op + ".AccumulateScalar", "sum", sum.Length, 1, "a scalar (1)");
        accelerator.Launch(TensorKernels.AccumulateScalar, new Index1D(1), value, sum, weight);
    }
}
