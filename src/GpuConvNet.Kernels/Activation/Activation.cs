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

/// <summary>
/// Inverted dropout with a counter-based mask: element i is kept iff a hash of (seed, step, i) clears a threshold, so
/// the forward and backward draw the same mask with no state and no mask buffer, every step a fresh one, and every
/// backend the same one (the hash is integer-only; <see cref="Keeps"/> computes it on the host).
/// </summary>
public static class Dropout
{
    /// <summary>y = x / (1 − p) where kept, else 0; each element dropped with probability <paramref name="p"/> in [0, 1). x, y: (n).</summary>
    public static void Forward(Accelerator accelerator, ArrayView<float> x, ArrayView<float> y, float p, uint seed, uint step)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "Dropout";
        CheckRate(op, p);
        int n = Activation.SameLength(op, ("x", x.Length), ("y", y.Length));
        accelerator.Launch(ActivationKernels.DropoutForward, new Index1D(n), x, y, seed, step, Threshold(p), Scale(p));
    }

    /// <summary>dx = dy / (1 − p) where the forward with the same (p, seed, step) kept the element, else 0. dy, dx: (n).</summary>
    public static void Backward(Accelerator accelerator, ArrayView<float> dy, ArrayView<float> dx, float p, uint seed, uint step)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "Dropout backward";
        CheckRate(op, p);
        int n = Activation.SameLength(op, ("dy", dy.Length), ("dx", dx.Length));
        accelerator.Launch(ActivationKernels.DropoutBackward, new Index1D(n), dy, dx, seed, step, Threshold(p), Scale(p));
    }

    /// <summary>The hash threshold of drop rate <paramref name="p"/>: round(p·2³²), so P(hash ≥ threshold) = 1 − p to within 2⁻³².</summary>
    public static uint Threshold(float p) => (uint)Math.Min(Math.Round(p * 4294967296.0), uint.MaxValue);

    /// <summary>The inverted-dropout scale 1 / (1 − p): kept activations keep their expectation.</summary>
    public static float Scale(float p) => (float)(1.0 / (1.0 - p));

    /// <summary>Whether element <paramref name="index"/> is kept at (<paramref name="seed"/>, <paramref name="step"/>): the kernels' mask, on the host.</summary>
    public static bool Keeps(float p, uint seed, uint step, int index) =>
        ActivationKernels.DropoutHash(seed, step, (uint)index) >= Threshold(p);

    private static void CheckRate(string op, float p)
    {
        if (!(p >= 0f && p < 1f))
        {
            throw new ArgumentException($"{op}: the drop rate is {p}; it must lie in [0, 1)");
        }
    }
}
