using System.Globalization;
using GpuConvNet.Metrics;
using GpuConvNet.Training;
using Spectre.Console;

namespace GpuConvNet.Cli;

/// <summary>Tables for the terminal: training history, per-class scores, the confusion matrix.</summary>
public static class ReportPrinter
{
    /// <summary>Examples per class in the training and test sets: a column per class, or a row per class when there are many.</summary>
    public static void ClassCounts(IReadOnlyList<string> names, IReadOnlyList<int> train, IReadOnlyList<int> test)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        var table = new Table().Title("examples per class");
        if (names.Count <= 12)
        {
            table.AddColumn("set");
            foreach (string name in names)
            {
                table.AddColumn(new TableColumn(Markup.Escape(SharedOptions.Printable(name))).RightAligned());
            }
            table.AddRow(["train", .. train.Select(n => n.ToString("N0", CultureInfo.InvariantCulture))]);
            table.AddRow(["test", .. test.Select(n => n.ToString("N0", CultureInfo.InvariantCulture))]);
        }
        else
        {
            table.AddColumns("class", "train", "test");
            for (int c = 0; c < names.Count; c++)
            {
                table.AddRow(Markup.Escape(SharedOptions.Printable(names[c])), train[c].ToString("N0", CultureInfo.InvariantCulture), test[c].ToString("N0", CultureInfo.InvariantCulture));
            }
        }
        AnsiConsole.Write(table);
    }

    /// <summary>One row per epoch.</summary>
    public static void History(IReadOnlyList<EpochRecord> history)
    {
        var table = new Table().Title("training").AddColumns("epoch", "lr", "train loss", "train acc", "val loss", "val acc", "seconds", "images/s");
        foreach (var e in history)
        {
            table.AddRow(e.Epoch.ToString(CultureInfo.InvariantCulture), F(e.LearningRate, "G3"), F(e.TrainLoss, "F4"), P(e.TrainAccuracy),
                F(e.ValidationLoss, "F4"), P(e.ValidationAccuracy), F(e.Seconds, "F1"), F(e.ImagesPerSecond, "N0"));
        }
        AnsiConsole.Write(table);
    }

    /// <summary>Accuracy, per-class precision/recall/F1, and the confusion matrix, classes called by <paramref name="names"/>.</summary>
    public static void Evaluation(string title, double loss, ConfusionMatrix confusion, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        ArgumentNullException.ThrowIfNull(names);
        string Name(int c) => Markup.Escape(SharedOptions.Printable(names[c]));
        var scores = new Table().Title(title).AddColumns("class", "precision", "recall", "F1", "support");
        foreach (var s in confusion.AllScores())
        {
            scores.AddRow(Name(s.Class), P(s.Precision), P(s.Recall), P(s.F1), s.Support.ToString("N0", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(scores);
        if (confusion.Classes > 20)
        {
            // Too wide for a terminal: the picture (confusion-matrix.png) has it.
            AnsiConsole.MarkupLineInterpolated($"[bold]{title}: accuracy {confusion.Accuracy:P2}[/], loss {loss:F4}, macro F1 {confusion.MacroF1:P2}");
            return;
        }
        var matrix = new Table().Title("confusion matrix (rows: true class, columns: predicted)").AddColumn("");
        for (int c = 0; c < confusion.Classes; c++)
        {
            matrix.AddColumn(new TableColumn(Name(c)).RightAligned());
        }
        for (int a = 0; a < confusion.Classes; a++)
        {
            var cells = new List<string> { Name(a) };
            for (int p = 0; p < confusion.Classes; p++)
            {
                long n = confusion[a, p];
                cells.Add(a == p ? $"[green]{n}[/]" : n == 0 ? "[grey]·[/]" : $"[red]{n}[/]");
            }
            matrix.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(matrix);
        AnsiConsole.MarkupLineInterpolated($"[bold]{title}: accuracy {confusion.Accuracy:P2}[/], loss {loss:F4}, macro F1 {confusion.MacroF1:P2}");
    }

    private static string F(double value, string format) => double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string P(double value) => double.IsFinite(value) ? value.ToString("P2", CultureInfo.InvariantCulture) : "-";
}
