using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Element-wise activations over flat float32 tensors of any shape (one lane per element; every view has the same
/// length n): ReLU and sigmoid, forward and backward.
/// </summary>
public static partial class ActivationKernels
{
    /// <summary>y = max(x, 0). x, y: (n).</summary>
    [Kernel]
    public static void ReluForward(Index1D i, ArrayView<float> x, ArrayView<float> y)
    {
        float v = x[i];
        // Not MathF.Max: fmax(NaN, 0) is 0, and a NaN must propagate to the loss rather than vanish here.
        // !(v <= 0) holds for positive v and for NaN.
        y[i] = !(v <= 0f) ? v : 0f;
    }

    /// <summary>dx = dy where the forward output y is positive, else 0 (y > 0 ⇔ x > 0). y, dy, dx: (n).</summary>
    [Kernel]
    public static void ReluBackward(Index1D i, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        dx[i] = y[i] > 0f ? dy[i] : 0f;
    }

    /// <summary>y = 1 / (1 + e^−x). x, y: (n). e^−x overflows to +∞ for x &lt; −88, giving exactly 0, never NaN.</summary>
    [Kernel]
    public static void SigmoidForward(Index1D i, ArrayView<float> x, ArrayView<float> y)
    {
        y[i] = 1f / (1f + MathF.Exp(-x[i]));
    }

    /// <summary>dx = dy · y · (1 − y) from the forward output y. y, dy, dx: (n).</summary>
    [Kernel]
    public static void SigmoidBackward(Index1D i, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        float s = y[i];
        dx[i] = dy[i] * s * (1f - s);
    }
}
