using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

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
        accelerator.Launch(DropoutKernels.Forward, new Index1D(n), x, y, seed, step, Threshold(p), Scale(p));
    }

    /// <summary>dx = dy / (1 − p) where the forward with the same (p, seed, step) kept the element, else 0. dy, dx: (n).</summary>
    public static void Backward(Accelerator accelerator, ArrayView<float> dy, ArrayView<float> dx, float p, uint seed, uint step)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "Dropout backward";
        CheckRate(op, p);
        int n = Activation.SameLength(op, ("dy", dy.Length), ("dx", dx.Length));
        accelerator.Launch(DropoutKernels.Backward, new Index1D(n), dy, dx, seed, step, Threshold(p), Scale(p));
    }

    /// <summary>The hash threshold of drop rate <paramref name="p"/>: round(p·2³²), so P(hash ≥ threshold) = 1 − p to within 2⁻³².</summary>
    public static uint Threshold(float p) => (uint)Math.Min(Math.Round(p * 4294967296.0), uint.MaxValue);

    /// <summary>The inverted-dropout scale 1 / (1 − p): kept activations keep their expectation.</summary>
    public static float Scale(float p) => (float)(1.0 / (1.0 - p));

    /// <summary>Whether element <paramref name="index"/> is kept at (<paramref name="seed"/>, <paramref name="step"/>): the kernels' mask, on the host.</summary>
    public static bool Keeps(float p, uint seed, uint step, int index) =>
        DropoutKernels.Hash(seed, step, (uint)index) >= Threshold(p);

    private static void CheckRate(string op, float p)
    {
        if (!(p >= 0f && p < 1f))
        {
            throw new ArgumentException($"{op}: the drop rate is {p}; it must lie in [0, 1)");
        }
    }
}
