namespace GpuConvNet.Kernels;

/// <summary>The reference of <see cref="Accuracy"/>: argmax in double (exact for float inputs) and a plain count.</summary>
public static class AccuracyReference
{
    /// <summary>Predictions (first maximum; NaN never larger) and the number equal to their labels.</summary>
    public static (int[] Predictions, int Correct) ArgmaxAndCount(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int n, int classes)
    {
        var predictions = new int[n];
        int correct = 0;
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            double bestValue = logits[i * classes];
            for (int j = 1; j < classes; j++)
            {
                if (logits[i * classes + j] > bestValue)
                {
                    bestValue = logits[i * classes + j];
                    best = j;
                }
            }
            predictions[i] = best;
            correct += best == labels[i] ? 1 : 0;
        }
        return (predictions, correct);
    }
}
