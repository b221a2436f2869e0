using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>Small whole-tensor kernels that the layers and the training loop share: copy, one-hot, weighted accumulate.</summary>
public static partial class TensorKernels
{
    /// <summary>sum[0] += value[0] · weight: adds a batch's mean loss, weighted by its size, to the interval's total on the device.</summary>
    [Kernel]
    public static void AccumulateScalar(Index1D i, ArrayView<float> value, ArrayView<float> sum, float weight)
    {
        sum[0] += value[0] * weight;
    }

    /// <summary>targets[n, c] = 1 if labels[n] == c else 0. labels: (N); targets: (N, classes).</summary>
    [Kernel]
    public static void OneHot(Index1D i, ArrayView<int> labels, ArrayView<float> targets, int classes)
    {
        targets[i] = labels[i / classes] == i % classes ? 1f : 0f;
    }

    /// <summary>destination[i] = source[i]. source, destination: (n).</summary>
    [Kernel]
    public static void CopyInto(Index1D i, ArrayView<float> source, ArrayView<float> destination)
    {
        destination[i] = source[i];
    }
}
