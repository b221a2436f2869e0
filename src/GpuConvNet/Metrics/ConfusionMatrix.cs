namespace GpuConvNet.Metrics;

/// <summary>Counts of (true class, predicted class) pairs, and the per-class scores derived from them.</summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] counts;

    /// <summary>An empty matrix over <paramref name="classes"/> classes.</summary>
    public ConfusionMatrix(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        Classes = classes;
        counts = new long[classes, classes];
    }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Examples counted.</summary>
    public long Total { get; private set; }

    /// <summary>How many examples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => counts[actual, predicted];

    /// <summary>A matrix built from parallel arrays of labels and predictions.</summary>
    public static ConfusionMatrix From(ReadOnlySpan<int> labels, ReadOnlySpan<int> predictions, int classes)
    {
        if (labels.Length != predictions.Length)
        {
            throw new ArgumentException($"{labels.Length} labels but {predictions.Length} predictions");
        }
        var matrix = new ConfusionMatrix(classes);
        for (int i = 0; i < labels.Length; i++)
        {
            matrix.Add(labels[i], predictions[i]);
        }
        return matrix;
    }

    /// <summary>Counts one example.</summary>
    public void Add(int actual, int predicted)
    {
        if ((uint)actual >= (uint)Classes || (uint)predicted >= (uint)Classes)
        {
            throw new ArgumentOutOfRangeException(nameof(actual), $"class pair ({actual}, {predicted}) outside 0..{Classes - 1}");
        }
        counts[actual, predicted]++;
        Total++;
    }

    /// <summary>Fraction of examples on the diagonal.</summary>
    public double Accuracy
    {
        get
        {
            long correct = 0;
            for (int c = 0; c < Classes; c++)
            {
                correct += counts[c, c];
            }
            return Total == 0 ? 0 : (double)correct / Total;
        }
    }

    /// <summary>Precision, recall, F1 and support of one class (0 where undefined, as scikit-learn reports with zero_division=0).</summary>
    public ClassScores Scores(int c)
    {
        long truePositives = counts[c, c];
        long predicted = 0;
        long actual = 0;
        for (int other = 0; other < Classes; other++)
        {
            predicted += counts[other, c];
            actual += counts[c, other];
        }
        double precision = predicted == 0 ? 0 : (double)truePositives / predicted;
        double recall = actual == 0 ? 0 : (double)truePositives / actual;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ClassScores(c, precision, recall, f1, actual);
    }

    /// <summary>Scores of every class.</summary>
    public IReadOnlyList<ClassScores> AllScores() => Enumerable.Range(0, Classes).Select(Scores).ToArray();

    /// <summary>Unweighted mean of the per-class F1 scores.</summary>
    public double MacroF1 => AllScores().Average(s => s.F1);
}

/// <summary>One class's scores.</summary>
/// <param name="Class">The class.</param>
/// <param name="Precision">Of the examples predicted as this class, the fraction that are.</param>
/// <param name="Recall">Of the examples of this class, the fraction predicted as it.</param>
/// <param name="F1">Harmonic mean of precision and recall.</param>
/// <param name="Support">Examples of this class.</param>
public sealed record ClassScores(int Class, double Precision, double Recall, double F1, long Support);
