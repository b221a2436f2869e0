using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>ReLU and sigmoid over flat tensors: every view holds the same n elements (any shape, e.g. (N, features)).</summary>
public static class Activation
{
    /// <summary>y = max(x, 0) (NaN stays NaN). x, y: (n); y may be x.</summary>
    public static void Relu(Accelerator accelerator, ArrayView<float> x, ArrayView<float> y)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        int n = SameLength("ReLU", ("x", x.Length), ("y", y.Length));
        accelerator.Launch(ActivationKernels.ReluForward, new Index1D(n), x, y);
    }

    /// <summary>dx = dy · [y &gt; 0] from the forward output y. y, dy, dx: (n); dx may be dy.</summary>
    public static void ReluBackward(Accelerator accelerator, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        int n = SameLength("ReLU backward", ("y", y.Length), ("dy", dy.Length), ("dx", dx.Length));
        accelerator.Launch(ActivationKernels.ReluBackward, new Index1D(n), y, dy, dx);
    }

    /// <summary>y = 1 / (1 + e^−x). x, y: (n); y may be x.</summary>
    public static void Sigmoid(Accelerator accelerator, ArrayView<float> x, ArrayView<float> y)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        int n = SameLength("Sigmoid", ("x", x.Length), ("y", y.Length));
        accelerator.Launch(ActivationKernels.SigmoidForward, new Index1D(n), x, y);
    }

    /// <summary>dx = dy · y · (1 − y) from the forward output y. y, dy, dx: (n); dx may be dy.</summary>
    public static void SigmoidBackward(Accelerator accelerator, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        int n = SameLength("Sigmoid backward", ("y", y.Length), ("dy", dy.Length), ("dx", dx.Length));
        accelerator.Launch(ActivationKernels.SigmoidBackward, new Index1D(n), y, dy, dx);
    }

    /// <summary>The common length of element-wise operands; an <see cref="ArgumentException"/> naming the op when they differ or are empty.</summary>
    internal static int SameLength(string op, params (string Name, int Length)[] views)
    {
        var (firstName, n) = views[0];
        ShapeCheck.Positive(op, (firstName + " length", n));
        foreach (var (name, length) in views)
        {
            ShapeCheck.Length(op, name, length, n, $"an element-wise op over {firstName}'s {n} elements");
        }
        return n;
    }
}
