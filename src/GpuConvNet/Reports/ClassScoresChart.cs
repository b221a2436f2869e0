using System.Globalization;
using GpuConvNet.Metrics;
using ScottPlot;

namespace GpuConvNet.Reports;

/// <summary>Precision and recall of every class as grouped bars (PNG and SVG): which classes the model confuses.</summary>
public static class ClassScoresChart
{
    /// <summary>The figure for <paramref name="confusion"/>; <paramref name="classNames"/> label the classes (default 0, 1, …).</summary>
    public static Figure Build(ConfusionMatrix confusion, string title, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        var scores = confusion.AllScores();
        var names = classNames ?? scores.Select(s => s.Class.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (names.Count != scores.Count)
        {
            throw new ArgumentException($"{names.Count} class names for {scores.Count} classes", nameof(classNames));
        }
        var plot = Figure.NewPlot();
        var bars = new List<Bar>();
        foreach (var s in scores)
        {
            bars.Add(new Bar { Position = 3 * s.Class, Value = 100 * Finite(s.Precision), FillColor = Figure.First, LineWidth = 0 });
            bars.Add(new Bar { Position = 3 * s.Class + 1, Value = 100 * Finite(s.Recall), FillColor = Figure.Second, LineWidth = 0 });
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(scores.Select(s => 3.0 * s.Class + 0.5).ToArray(), names.ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        // Good models score 95–100 % everywhere: start the axis just below the lowest bar so the differences show.
        double lowest = bars.Min(b => b.Value);
        plot.Axes.SetLimitsY(Math.Max(0, Math.Floor((lowest - 2) / 5) * 5), 100.5);
        plot.Axes.SetLimitsX(-1, 3 * scores.Count - 1);
        plot.Title($"{title}: precision and recall per class");
        plot.XLabel("class");
        plot.YLabel("%");
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "precision", FillColor = Figure.First });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "recall", FillColor = Figure.Second });
        plot.ShowLegend(Alignment.LowerRight);
        return new Figure(Math.Max(560, 36 * scores.Count + 120), 380, plot);
    }

    /// <summary>Writes <c>class-scores.png</c> and <c>class-scores.svg</c> into <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> Write(string directory, ConfusionMatrix confusion, string title, IReadOnlyList<string>? classNames = null) =>
        Build(confusion, title, classNames).Save(Path.Combine(directory, "class-scores"));

    // A class never predicted has no precision: draw no bar rather than NaN.
    private static double Finite(double value) => double.IsFinite(value) ? value : 0;
}
