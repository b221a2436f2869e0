namespace GpuConvNet.Data;

/// <summary>How many examples of each class a set of labels holds.</summary>
public static class ClassCounts
{
    /// <summary>counts[c] = the number of labels equal to c, for c in 0..<paramref name="classCount"/>−1.</summary>
    /// <exception cref="ArgumentException">A label is not below <paramref name="classCount"/>.</exception>
    public static int[] Count(ReadOnlySpan<byte> labels, int classCount = Mnist.ClassCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        var counts = new int[classCount];
        foreach (byte label in labels)
        {
            if (label >= classCount)
            {
                throw new ArgumentException($"label {label} is not below the class count {classCount}", nameof(labels));
            }
            counts[label]++;
        }
        return counts;
    }

    /// <summary>Counts the labels at <paramref name="indices"/> only (e.g. one side of a <see cref="TrainValidationSplit"/>).</summary>
    /// <exception cref="ArgumentException">A label is not below <paramref name="classCount"/>.</exception>
    public static int[] Count(ReadOnlySpan<byte> labels, ReadOnlySpan<int> indices, int classCount = Mnist.ClassCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        var counts = new int[classCount];
        foreach (int index in indices)
        {
            byte label = labels[index];
            if (label >= classCount)
            {
                throw new ArgumentException($"label {label} at index {index} is not below the class count {classCount}", nameof(labels));
            }
            counts[label]++;
        }
        return counts;
    }
}
