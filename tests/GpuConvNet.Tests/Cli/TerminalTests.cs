using GpuConvNet.Cli;
using Spectre.Console;

namespace GpuConvNet.Tests.Cli;

/// <summary>Plain output into pipes and under NO_COLOR, tables as wide as their content, and counted nouns.</summary>
[TestClass]
public sealed class TerminalTests
{
    private static readonly string LongPath = "/home/someone/a/rather/long/folder/of/digit/pictures/taken/with/a/phone/" + new string('x', 60) + ".jpg";

    [TestMethod]
    [DataRow(true, null)]
    [DataRow(false, "1")]
    public void PipedOrNoColor_WritesNoEscapeCodes(bool redirected, string? noColor)
    {
        using var output = new StringWriter();
        var console = Terminal.Create(output, redirected, name => name == "NO_COLOR" ? noColor : null, terminalWidth: redirected ? null : 100);

        console.MarkupLine("[bold]7[/] [red]error[/]");
        console.Write(new Table().AddColumns("image", "digit").AddRow(LongPath, "7"));

        Assert.DoesNotContain("\u001b", output.ToString(), "no ANSI escape codes");
        StringAssert.Contains(output.ToString(), "7 error");
    }

    [TestMethod]
    public void Piped_TablesKeepLongPathsOnOneLine_UnlessColumnsSaysOtherwise()
    {
        using var piped = new StringWriter();
        Terminal.Create(piped, redirected: true, _ => null, terminalWidth: null).Write(new Table().AddColumns("image", "digit").AddRow(LongPath, "7"));
        StringAssert.Contains(piped.ToString(), LongPath, "the path is not wrapped");

        using var narrow = new StringWriter();
        var console = Terminal.Create(narrow, redirected: true, name => name == "COLUMNS" ? "60" : null, terminalWidth: null);
        Assert.AreEqual(60, console.Profile.Width);
        Assert.AreEqual(132, Terminal.Create(TextWriter.Null, redirected: false, _ => null, terminalWidth: 132).Profile.Width, "a terminal's own width");
    }

    [TestMethod]
    public void Words_CountNounsInTheSingularOnlyForOne()
    {
        Assert.AreEqual("1 epoch", Words.Count(1, "epoch"));
        Assert.AreEqual("0 epochs", Words.Count(0, "epoch"));
        Assert.AreEqual("12,000 images", Words.Count(12000, "image"));
        Assert.AreEqual("2 indices", Words.Count(2, "index", "indices"));
    }
}
