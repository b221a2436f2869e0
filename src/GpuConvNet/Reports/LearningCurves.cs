using System.Globalization;
using System.Text;
using GpuConvNet.Training;

namespace GpuConvNet.Reports;

/// <summary>An SVG with two panels — loss and accuracy per epoch, training and validation — readable in any browser.</summary>
public static class LearningCurves
{
    private const int PanelWidth = 420;
    private const int PanelHeight = 260;
    private const int Margin = 48;
    private const string TrainColour = "#1f77b4";
    private const string ValidationColour = "#ff7f0e";

    /// <summary>The SVG document for <paramref name="history"/>, titled <paramref name="title"/>.</summary>
    public static string ToSvg(IReadOnlyList<EpochRecord> history, string title)
    {
        ArgumentNullException.ThrowIfNull(history);
        int width = 2 * (PanelWidth + Margin) + Margin;
        int height = PanelHeight + 2 * Margin + 20;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>\n");
        Panel(svg, Margin, history, "loss", e => e.TrainLoss, e => e.ValidationLoss);
        Panel(svg, 2 * Margin + PanelWidth, history, "accuracy", e => e.TrainAccuracy, e => e.ValidationAccuracy);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, int left, IReadOnlyList<EpochRecord> history, string name,
        Func<EpochRecord, double> train, Func<EpochRecord, double> validation)
    {
        int top = Margin;
        var values = history.Select(train).Concat(history.Select(validation)).Where(double.IsFinite).ToList();
        double low = values.Count == 0 ? 0 : values.Min();
        double high = values.Count == 0 ? 1 : values.Max();
        if (high - low < 1e-9)
        {
            high = low + 1;
        }
        double pad = (high - low) * 0.05;
        low -= pad;
        high += pad;
        int epochs = Math.Max(1, history.Count);
        double X(int epoch) => left + (epochs == 1 ? PanelWidth / 2.0 : (epoch - 1) * PanelWidth / (double)(epochs - 1));
        double Y(double value) => top + PanelHeight - (value - low) / (high - low) * PanelHeight;

        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{PanelWidth}\" height=\"{PanelHeight}\" fill=\"none\" stroke=\"#888\"/>\n");
        for (int tick = 0; tick <= 4; tick++)
        {
            double value = low + (high - low) * tick / 4;
            double y = Y(value);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{y:F1}\" x2=\"{left + PanelWidth}\" y2=\"{y:F1}\" stroke=\"#eee\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{value:G3}</text>\n");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + PanelWidth / 2}\" y=\"{top + PanelHeight + 32}\" text-anchor=\"middle\">epoch (1–{history.Count})</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + 6}\" y=\"{top - 8}\">{name}</text>\n");
        Line(svg, history, train, X, Y, TrainColour, "train");
        Line(svg, history, validation, X, Y, ValidationColour, "validation");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + PanelWidth - 6}\" y=\"{top - 8}\" text-anchor=\"end\"><tspan fill=\"{TrainColour}\">— train</tspan>  <tspan fill=\"{ValidationColour}\">— validation</tspan></text>\n");
    }

    private static void Line(StringBuilder svg, IReadOnlyList<EpochRecord> history, Func<EpochRecord, double> value,
        Func<int, double> x, Func<double, double> y, string colour, string name)
    {
        var points = history.Where(e => double.IsFinite(value(e)))
            .Select(e => string.Create(CultureInfo.InvariantCulture, $"{x(e.Epoch):F1},{y(value(e)):F1}")).ToList();
        if (points.Count == 0)
        {
            return;
        }
        svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"{name}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', points)}\"/>\n");
        foreach (var point in points)
        {
            var xy = point.Split(',');
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{xy[0]}\" cy=\"{xy[1]}\" r=\"3\" fill=\"{colour}\"/>\n");
        }
    }

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text) ?? "";
}
