using System.Text.Json;
using System.Xml.Linq;
using GpuConvNet;
using GpuConvNet.Reports;
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
    public void Svg_IsWellFormed_AndDrawsBothCurvesWhereDefined()
    {
        var svg = XDocument.Parse(LearningCurves.ToSvg(History, "cnn <test>"));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var lines = svg.Descendants(ns + "polyline").ToList();
        Assert.HasCount(4, lines); // train and validation, loss and accuracy
        Assert.AreEqual(2, lines.First(l => (string?)l.Attribute("class") == "train").Attribute("points")!.Value.Split(' ').Length);
        Assert.AreEqual(1, lines.First(l => (string?)l.Attribute("class") == "validation").Attribute("points")!.Value.Split(' ').Length);
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
