namespace GpuConvNet.Nn.Layers;

/// <summary>The shape of one sample: (channels, height, width); a flat feature vector is (features, 1, 1).</summary>
/// <param name="Channels">C, or the feature count.</param>
/// <param name="Height">H (1 for features).</param>
/// <param name="Width">W (1 for features).</param>
public readonly record struct Shape(int Channels, int Height = 1, int Width = 1)
{
    /// <summary>Elements per sample.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>True for a flat feature vector.</summary>
    public bool IsFlat => Height == 1 && Width == 1;

    /// <inheritdoc />
    public override string ToString() => IsFlat ? $"({Channels})" : $"({Channels}, {Height}, {Width})";
}
