namespace GpuConvNet.Checkpoints;

/// <summary>A tensor a model expects in its checkpoint: its name and shape; the element type is always F32.</summary>
/// <param name="Name">The parameter's name, e.g. "conv1.weight".</param>
/// <param name="Shape">Its dimensions, outermost first, e.g. [32, 1, 3, 3].</param>
public sealed record TensorSpec(string Name, int[] Shape)
{
    /// <summary>The shape as text, e.g. "[32, 1, 3, 3]".</summary>
    public static string FormatShape(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";

    /// <summary>The number of elements of <paramref name="shape"/> (1 for a scalar's empty shape).</summary>
    /// <exception cref="ArgumentException">A dimension is negative or the product exceeds <see cref="int.MaxValue"/>.</exception>
    public static int ElementCount(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (int dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"dimension {dimension} is negative", nameof(shape));
            }
            count *= dimension;
            if (count > int.MaxValue)
            {
                throw new ArgumentException("the shape has more than int.MaxValue elements", nameof(shape));
            }
        }
        return (int)count;
    }
}
