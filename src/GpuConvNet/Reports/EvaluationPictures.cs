using System.Globalization;
using GpuConvNet.Data;
using GpuConvNet.Imaging;
using GpuConvNet.Inference;
using GpuConvNet.Metrics;
using GpuConvNet.Training;

namespace GpuConvNet.Reports;

/// <summary>The pictures of an evaluation: the confusion matrix, and the test images the model got wrong most confidently.</summary>
public static class EvaluationPictures
{
    /// <summary>
    /// The <paramref name="count"/> misclassified examples with the highest predicted-class probability (softmax of the
    /// logits, or the sigmoid of the logit for sigmoid-output models), most confident first.
    /// </summary>
    public static IReadOnlyList<(int Index, int Label, int Predicted, double Confidence)> MostConfidentMistakes(
        Evaluation evaluation, IReadOnlyList<int> labels, int classes, bool sigmoidOutputs, int count)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(labels);
        var logits = evaluation.Logits ?? throw new ArgumentException("the evaluation kept no logits");
        var predictions = evaluation.Predictions!;
        var mistakes = new List<(int, int, int, double)>();
        for (int i = 0; i < predictions.Length; i++)
        {
            if (predictions[i] != labels[i])
            {
                mistakes.Add((i, labels[i], predictions[i], Predictor.Probabilities(logits.AsSpan(i * classes, classes), sigmoidOutputs)[predictions[i]]));
            }
        }
        return mistakes.OrderByDescending(m => m.Item4).Take(count).ToList();
    }

    /// <summary>
    /// Writes <c>confusion-matrix.png</c>, <c>class-scores.png</c>/<c>.svg</c> and <c>misclassified.png</c> into
    /// <paramref name="directory"/>; returns their paths. <paramref name="title"/> heads the charts (e.g. the model's name).
    /// </summary>
    public static IReadOnlyList<string> Write(string directory, LabeledImages test, IReadOnlyList<string> classNames, Evaluation evaluation,
        ConfusionMatrix confusion, bool sigmoidOutputs, string title)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(confusion);
        var counts = new int[confusion.Classes, confusion.Classes];
        for (int a = 0; a < confusion.Classes; a++)
        {
            for (int p = 0; p < confusion.Classes; p++)
            {
                counts[a, p] = (int)confusion[a, p];
            }
        }
        string matrixPath = Path.Combine(directory, "confusion-matrix.png");
        ConfusionMatrixImage.Write(matrixPath, counts, classNames);
        var scorePaths = ClassScoresChart.Write(directory, confusion, title, classNames);
        var labels = test.Labels.Select(l => (int)l).ToArray();
        var cells = MostConfidentMistakes(evaluation, labels, confusion.Classes, sigmoidOutputs, 40)
            .Select(m => new GridCell(test.Image(m.Index).ToArray(),
                string.Create(CultureInfo.InvariantCulture, $"{classNames[m.Label]}→{classNames[m.Predicted]} {m.Confidence * 100:F0}%"), Highlight: true))
            .ToList();
        string mistakesPath = Path.Combine(directory, "misclassified.png");
        if (cells.Count > 0)
        {
            ImageGrid.Write(mistakesPath, cells, imageWidth: test.Cols, imageHeight: test.Rows, scale: Scale(test));
        }
        return [matrixPath, .. scorePaths, .. cells.Count > 0 ? [mistakesPath] : Array.Empty<string>()];
    }

    /// <summary>
    /// Writes a grid of about <paramref name="count"/> images of <paramref name="set"/> captioned with their class
    /// names: the first images of each class in turn, so every class shows even when the set is sorted by class.
    /// </summary>
    public static void WriteSamples(string path, LabeledImages set, IReadOnlyList<string> classNames, int count = 100)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(classNames);
        var byClass = Enumerable.Range(0, set.Count).GroupBy(i => set.Labels[i]).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        var chosen = new List<int>();
        for (int round = 0; chosen.Count < Math.Min(count, set.Count); round++)
        {
            chosen.AddRange(byClass.Where(g => round < g.Count).Select(g => g[round]).Take(count - chosen.Count));
        }
        var cells = chosen.Select(i => new GridCell(set.Image(i).ToArray(), classNames[set.Labels[i]])).ToList();
        ImageGrid.Write(path, cells, imageWidth: set.Cols, imageHeight: set.Rows, scale: Scale(set));
    }

    // Small images twice their size, large ones as they are.
    private static int Scale(LabeledImages set) => Math.Max(set.Rows, set.Cols) <= 32 ? 2 : 1;
}
