namespace GpuConvNet.Data;

/// <summary>
/// The standard MNIST input normalisation: a pixel byte p becomes (p / 255 − <see cref="Mean"/>) / <see cref="StdDev"/>,
/// with the mean and standard deviation of the training set's pixels scaled to [0, 1].
/// </summary>
public static class MnistNormalization
{
    /// <summary>Mean of the MNIST training pixels in [0, 1].</summary>
    public const float Mean = 0.1307f;

    /// <summary>Standard deviation of the MNIST training pixels in [0, 1].</summary>
    public const float StdDev = 0.3081f;

    /// <summary>The normalised value of pixel byte <paramref name="pixel"/>.</summary>
    public static float Normalize(byte pixel) => (pixel / 255f - Mean) / StdDev;

    /// <summary>Writes the normalised value of each byte of <paramref name="pixels"/> into <paramref name="destination"/>.</summary>
    public static void Normalize(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        if (destination.Length < pixels.Length)
        {
            throw new ArgumentException($"destination holds {destination.Length} floats but {pixels.Length} pixels are to be written", nameof(destination));
        }
        // 256 possible inputs: a table makes the loop a gather, and keeps it bit-identical to Normalize(byte).
        ReadOnlySpan<float> table = Table;
        for (int i = 0; i < pixels.Length; i++)
        {
            destination[i] = table[pixels[i]];
        }
    }

    /// <summary>The normalised values of <paramref name="pixels"/>, in a new array.</summary>
    public static float[] Normalize(ReadOnlySpan<byte> pixels)
    {
        var result = new float[pixels.Length];
        Normalize(pixels, result);
        return result;
    }

    private static readonly float[] Table = BuildTable();

    private static float[] BuildTable()
    {
        var table = new float[256];
        for (int p = 0; p < table.Length; p++)
        {
            table[p] = Normalize((byte)p);
        }
        return table;
    }
}
