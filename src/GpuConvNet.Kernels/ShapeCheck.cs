namespace GpuConvNet.Kernels;

/// <summary>
/// Argument checks that every op runs before it launches anything: a bad shape is an
/// <see cref="ArgumentException"/> naming the op and the mismatch, never a kernel reading out of bounds.
/// </summary>
public static class ShapeCheck
{
    /// <summary>Throws unless every dimension is positive.</summary>
    public static void Positive(string op, params (string Name, int Value)[] dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        foreach (var (name, value) in dimensions)
        {
            if (value <= 0)
            {
                throw new ArgumentException($"{op}: {name} is {value}; it must be positive (empty tensors have nothing to compute)");
            }
        }
    }

    /// <summary>Throws unless <paramref name="length"/> (a view's) equals <paramref name="expected"/> (the shape's element count).</summary>
    public static void Length(string op, string name, int length, long expected, string shape)
    {
        if (length != expected)
        {
            throw new ArgumentException($"{op}: {name} has {length} elements but {shape} needs {expected}");
        }
    }

    /// <summary>Throws unless two dimensions that must agree do.</summary>
    public static void Agree(string op, string what, int left, int right)
    {
        if (left != right)
        {
            throw new ArgumentException($"{op}: {what} disagree ({left} vs {right})");
        }
    }
}
