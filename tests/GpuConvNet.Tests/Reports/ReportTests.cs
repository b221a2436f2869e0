using System.Text.Json;
using System.Xml.Linq;
using GpuConvNet;
using GpuConvNet.Imaging;
using GpuConvNet.Metrics;
using GpuConvNet.Reports;
using GpuConvNet.Tests.Data;
using GpuConvNet.Tests.Imaging;
using GpuConvNet.Training;

namespace GpuConvNet.Tests.Reports;

[TestClass]
public sealed class ReportTests
{
    private static readonly EpochRecord[] History =
    [
        new(1, 0.5, 0.85, 0.3, 0.9, 0.01, 12.5, 4800),
        new(2, 0.2, 0.95, double.NaN, double.NaN, 0.005, 12.0, 5000),
    ];

    [TestMethod]
    public void Csv_HasAHeaderAndOneInvariantRowPerEpoch()
    {
        var lines = HistoryWriter.ToCsv(History).TrimEnd().Split('\n');
        Assert.HasCount(3, lines);
        StringAssert.StartsWith(lines[0], "epoch,train_loss");
        Assert.AreEqual("1,0.5,0.85,0.3,0.9,0.01,12.5,4800", lines[1]);
        StringAssert.Contains(lines[2], "NaN");
    }

    [TestMethod]
    public void Json_RoundTrips()
    {
        var parsed = JsonSerializer.Deserialize<JsonElement[]>(HistoryWriter.ToJson(History))!;
        Assert.HasCount(2, parsed);
        Assert.AreEqual(0.85, parsed[0].GetProperty("trainAccuracy").GetDouble());
    }

    [TestMethod]
    public void LearningCurves_WritePngAndSvg_WithBothCurvesWhereDefinedAndTheirLabels()
    {
        using var dir = new TempDirectory();

        var paths = LearningCurves.Write(dir.Path, History, "cnn <test>");

        CollectionAssert.AreEqual(new[] { "learning-curves.png", "learning-curves.svg" }, paths.Select(Path.GetFileName).ToArray());
        var png = ImageFile.Read(paths[0]);
        Assert.AreEqual((1040, 380), (png.Width, png.Height));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var texts = XDocument.Load(paths[1]).Descendants(ns + "text").Select(t => t.Value.Trim()).ToList();
        foreach (var label in new[] { "cnn <test>: loss", "accuracy", "accuracy (%)", "epoch", "train", "validation" })
        {
            CollectionAssert.Contains(texts, label, $"the SVG has the text '{label}'");
        }
        // Train loss is drawn in blue, validation in orange, in both the PNG and the SVG.
        Assert.IsGreaterThan(50, ImageGridTests.CountPixels(png, 0, 0, png.Width, png.Height, (r, g, b) => (r, g, b) == (0x1f, 0x77, 0xb4)));
        Assert.IsGreaterThan(20, ImageGridTests.CountPixels(png, 0, 0, png.Width, png.Height, (r, g, b) => (r, g, b) == (0xff, 0x7f, 0x0e)));
    }

    [TestMethod]
    public void LearningCurves_TheLastEpochsPoints_AreNotCoveredByTheLegend()
    {
        // Fifteen epochs climbing to their best at the end, as cnn-plus's do: the last points sit top right.
        var history = Enumerable.Range(1, 15).Select(e => new EpochRecord(e, 1.0 / e, 0.9 + e * 0.006, 1.2 / e, 0.89 + e * 0.006, 0.01, 10, 5000)).ToArray();
        var figure = LearningCurves.Build(history, "cnn-plus");

        var png = figure.Render();

        var accuracy = figure.Panels[1];
        foreach (var record in history.Skip(11))
        {
            var at = accuracy.GetPixel(new ScottPlot.Coordinates(record.Epoch, 100 * record.ValidationAccuracy));
            int orange = ImageGridTests.CountPixels(png, (int)at.X - 2, (int)at.Y - 2, 5, 5, (r, g, b) => (r, g, b) == (0xff, 0x7f, 0x0e));
            Assert.IsGreaterThan(5, orange, $"epoch {record.Epoch}'s validation point is drawn, not hidden");
        }
    }

    [TestMethod]
    public void Figure_Labels_AreDrawnWithTheEmbeddedFont()
    {
        // The same plot with and without its title and axis labels: the text must change many pixels. Without a
        // typeface (a machine without fonts, where SkiaSharp finds none) both renders would be identical.
        Raster Render(string title, string x, string y)
        {
            var plot = Figure.NewPlot();
            plot.Add.Scatter(new double[] { 1, 2, 3 }, new double[] { 3, 1, 2 });
            plot.Title(title);
            plot.XLabel(x);
            plot.YLabel(y);
            return new Figure(400, 300, plot).Render();
        }
        var labelled = Render("Learning curves", "epoch", "loss");
        var bare = Render("", "", "");
        int differing = 0;
        for (int i = 0; i < labelled.Pixels.Length; i += 4)
        {
            differing += Math.Abs(labelled.Pixels[i] - bare.Pixels[i]) > 64 ? 1 : 0;
        }
        Assert.IsGreaterThan(300, differing, "title and axis labels drawn");
        // Tick labels too: dark pixels left of the plot area, where the y axis' numbers go.
        Assert.IsGreaterThan(50, ImageGridTests.CountPixels(bare, 0, 20, 45, 240, (r, g, b) => r < 128 && g < 128 && b < 128), "tick labels drawn");
    }

    [TestMethod]
    public void ClassScoresChart_WritesPngAndSvg_WithABarPerClassAndScore()
    {
        using var dir = new TempDirectory();
        var confusion = new ConfusionMatrix(3);
        int[] labels = [0, 0, 0, 1, 1, 2, 2, 2, 2];
        int[] predictions = [0, 0, 1, 1, 1, 2, 2, 2, 0];
        for (int i = 0; i < labels.Length; i++)
        {
            confusion.Add(labels[i], predictions[i]);
        }

        var paths = ClassScoresChart.Write(dir.Path, confusion, "mlp", ["zero", "one", "two"]);

        var png = ImageFile.Read(paths[0]);
        Assert.IsGreaterThan(500, ImageGridTests.CountPixels(png, 0, 0, png.Width, png.Height, (r, g, b) => (r, g, b) == (0x1f, 0x77, 0xb4)), "precision bars");
        Assert.IsGreaterThan(500, ImageGridTests.CountPixels(png, 0, 0, png.Width, png.Height, (r, g, b) => (r, g, b) == (0xff, 0x7f, 0x0e)), "recall bars");
        XNamespace ns = "http://www.w3.org/2000/svg";
        var texts = XDocument.Load(paths[1]).Descendants(ns + "text").Select(t => t.Value.Trim()).ToList();
        foreach (var label in new[] { "zero", "one", "two", "precision", "recall", "mlp: precision and recall per class" })
        {
            CollectionAssert.Contains(texts, label);
        }
        Assert.ThrowsExactly<ArgumentException>(() => ClassScoresChart.Build(confusion, "mlp", ["a"]));
    }

    [TestMethod]
    public void AtomicFile_ReplacesTheTarget_AndLeavesNoTemporaryFiles()
    {
        string directory = Path.Combine(Path.GetTempPath(), "gpuconvnet-atomic-" + Guid.NewGuid().ToString("N"));
        string path = Path.Combine(directory, "history.csv");
        AtomicFile.WriteAllText(path, "old", "test file");
        Assert.ThrowsExactly<InvalidOperationException>(() => AtomicFile.Write(path, _ => throw new InvalidOperationException("disk full"), "test file"));
        Assert.AreEqual("old", File.ReadAllText(path));
        AtomicFile.WriteAllText(path, "new", "test file");
        Assert.AreEqual("new", File.ReadAllText(path));
        Assert.HasCount(1, Directory.GetFiles(directory));
        Directory.Delete(directory, recursive: true);
    }
}
