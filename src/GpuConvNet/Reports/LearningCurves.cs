using GpuConvNet.Training;
using ScottPlot;

namespace GpuConvNet.Reports;

/// <summary>Loss and accuracy per epoch, training and validation, as a two-panel figure (PNG and SVG).</summary>
public static class LearningCurves
{
    /// <summary>The figure for <paramref name="history"/>, titled <paramref name="title"/>.</summary>
    public static Figure Build(IReadOnlyList<EpochRecord> history, string title)
    {
        ArgumentNullException.ThrowIfNull(history);
        var loss = Panel(history, $"{title}: loss", "loss", e => e.TrainLoss, e => e.ValidationLoss);
        var accuracy = Panel(history, "accuracy", "accuracy (%)", e => 100 * e.TrainAccuracy, e => 100 * e.ValidationAccuracy);
        return new Figure(520, 380, loss, accuracy);
    }

    /// <summary>Writes <c>learning-curves.png</c> and <c>learning-curves.svg</c> into <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<EpochRecord> history, string title) =>
        Build(history, title).Save(Path.Combine(directory, "learning-curves"));

    private static Plot Panel(IReadOnlyList<EpochRecord> history, string title, string yLabel, Func<EpochRecord, double> train, Func<EpochRecord, double> validation)
    {
        var plot = Figure.NewPlot();
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        Series(plot, history, train, "train", Figure.First);
        Series(plot, history, validation, "validation", Figure.Second);
        // Whole epochs only: "1.5" would be a tick no point can sit on.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        int epochs = Math.Max(1, history.Count == 0 ? 1 : history.Max(e => e.Epoch));
        plot.Axes.SetLimitsX(0.5, epochs + 0.5);
        // Below the axes, not inside them: curves end where training ends up, top right, just where a legend would sit.
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    private static void Series(Plot plot, IReadOnlyList<EpochRecord> history, Func<EpochRecord, double> value, string name, Color colour)
    {
        // Epochs without a value (no validation split) leave gaps, not zeros.
        var points = history.Where(e => double.IsFinite(value(e))).ToList();
        if (points.Count == 0)
        {
            return;
        }
        var scatter = plot.Add.Scatter(points.Select(e => (double)e.Epoch).ToArray(), points.Select(value).ToArray(), colour);
        scatter.LegendText = name;
        scatter.LineWidth = 2;
        scatter.MarkerSize = 6;
    }
}
