namespace GpuConvNet.Kernels;

/// <summary>
/// The geometry of a 2D convolution in NCHW: x (N, C, H, W), weights (K, C, R, S), bias (K), y (N, K, P, Q), with the
/// same stride and zero padding on both axes. P = (H + 2·Padding − R) / Stride + 1, Q = (W + 2·Padding − S) / Stride + 1.
/// </summary>
/// <param name="N">Batch size.</param>
/// <param name="C">Input channels.</param>
/// <param name="H">Input height.</param>
/// <param name="W">Input width.</param>
/// <param name="K">Output channels (filters).</param>
/// <param name="R">Filter height.</param>
/// <param name="S">Filter width.</param>
/// <param name="Stride">Step between filter positions, on both axes.</param>
/// <param name="Padding">Zeros added on every side of each input plane.</param>
public readonly record struct Conv2DShape(int N, int C, int H, int W, int K, int R, int S, int Stride = 1, int Padding = 0)
{
    /// <summary>Output height (only meaningful once <see cref="Validate"/> has passed).</summary>
    public int P => (H + 2 * Padding - R) / Stride + 1;

    /// <summary>Output width.</summary>
    public int Q => (W + 2 * Padding - S) / Stride + 1;

    /// <summary>Elements of x (and dx).</summary>
    public int XLength => N * C * H * W;

    /// <summary>Elements of the weights (and dW).</summary>
    public int WeightsLength => K * C * R * S;

    /// <summary>Elements of y (and dy).</summary>
    public int YLength => N * K * P * Q;

    /// <summary>Floating-point operations of one pass (forward, backward-data or backward-weights): 2·N·K·C·R·S·P·Q.</summary>
    public double Flops => 2.0 * N * K * C * R * S * P * Q;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming <paramref name="op"/> unless every dimension is positive, the
    /// padding is not negative, the filter fits the padded input (P, Q ≥ 1), and every tensor fits in an int index.
    /// </summary>
    public void Validate(string op)
    {
        ShapeCheck.Positive(op, ("N", N), ("C", C), ("H", H), ("W", W), ("K", K), ("R", R), ("S", S), ("stride", Stride));
        if (Padding < 0)
        {
            throw new ArgumentException($"{op}: padding is {Padding}; it must not be negative");
        }
        // Checked before P and Q are computed: C# division truncates toward zero, so a filter one row too tall
        // would otherwise give P = 1 instead of 0.
        if ((long)H + 2L * Padding < R || (long)W + 2L * Padding < S)
        {
            throw new ArgumentException(
                $"{op}: the {R}×{S} filter does not fit the {H}×{W} input padded by {Padding} (the output would be empty)");
        }
        long x = (long)N * C * H * W;
        long weights = (long)K * C * R * S;
        long y = (long)N * K * P * Q;
        if (Math.Max(x, Math.Max(weights, y)) > int.MaxValue)
        {
            throw new ArgumentException($"{op}: {this} has a tensor of more than {int.MaxValue} elements");
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"x ({N}, {C}, {H}, {W}) * w ({K}, {C}, {R}, {S}) stride {Stride} pad {Padding}";
}
