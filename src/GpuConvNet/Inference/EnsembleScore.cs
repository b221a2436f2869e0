namespace GpuConvNet.Inference;

/// <summary>
/// An ensemble's outputs on a labelled set, from its members' logits: the average of their probabilities, scored as a
/// model's outputs are.
/// </summary>
/// <param name="Loss">
/// The cross-entropy of the averaged probabilities (for sigmoid outputs, the binary cross-entropy of each class, mean
/// over the elements), each log clamped at −100 as the loss kernels clamp it.
/// </param>
/// <param name="Accuracy">The share of examples whose most probable class is their label.</param>
/// <param name="Predictions">Each example's most probable class.</param>
/// <param name="Logits">
/// The logits whose probabilities are the average (log p̄ for a softmax, log(p̄ / (1 − p̄)) for sigmoids), so that
/// reports read the ensemble as a model.
/// </param>
public sealed record EnsembleScore(double Loss, double Accuracy, int[] Predictions, float[] Logits)
{
    // A class every member gives probability 0 costs 100, not infinity.
    private const double LogFloor = -100;

    /// <summary>
    /// The score of the average of the probabilities of <paramref name="memberLogits"/> (each member's logits, examples
    /// × <paramref name="classes"/>) against <paramref name="labels"/>.
    /// </summary>
    public static EnsembleScore Of(IReadOnlyList<float[]> memberLogits, IReadOnlyList<int> labels, int classes, bool sigmoid)
    {
        ArgumentNullException.ThrowIfNull(memberLogits);
        ArgumentNullException.ThrowIfNull(labels);
        int count = labels.Count;
        if (memberLogits.Count == 0 || memberLogits.Any(l => l.Length != count * classes))
        {
            throw new ArgumentException($"every member needs {count} × {classes} logits", nameof(memberLogits));
        }
        var predictions = new int[count];
        var logits = new float[count * classes];
        double loss = 0;
        int correct = 0;
        for (int n = 0; n < count; n++)
        {
            var mean = LoadedEnsemble.Average([.. memberLogits.Select(l => Predictor.Probabilities(l.AsSpan(n * classes, classes), sigmoid))]);
            predictions[n] = LoadedEnsemble.Argmax(mean);
            correct += predictions[n] == labels[n] ? 1 : 0;
            for (int c = 0; c < classes; c++)
            {
                double p = mean[c];
                logits[n * classes + c] = (float)(sigmoid ? Math.Log(p / (1 - p)) : Math.Log(p));
                if (sigmoid)
                {
                    loss -= Log(c == labels[n] ? p : 1 - p);
                }
            }
            if (!sigmoid)
            {
                loss -= Log(mean[labels[n]]);
            }
        }
        return new EnsembleScore(loss / count / (sigmoid ? classes : 1), (double)correct / count, predictions, logits);
    }

    private static double Log(double p) => Math.Max(Math.Log(p), LogFloor);
}
