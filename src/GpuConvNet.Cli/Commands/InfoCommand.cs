using System.CommandLine;
using GpuConvNet.Checkpoints;
using Spectre.Console;

namespace GpuConvNet.Cli.Commands;

/// <summary><c>gpuconvnet info</c>: what a checkpoint holds.</summary>
public static class InfoCommand
{
    /// <summary>The most characters of a metadata key or value shown; the header may hold megabytes in one.</summary>
    public const int MaxShown = 200;

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var checkpoint = SharedOptions.Checkpoint();
        var command = new Command("info", "Show a checkpoint's metadata (model, epoch, accuracy, training settings) and its tensors")
        {
            checkpoint,
        };
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(checkpoint)!;
            var file = SafeTensors.Read(path);
            var metadata = new Table().Title(Markup.Escape(path)).AddColumns("key", "value");
            foreach (var (key, value) in file.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                metadata.AddRow(Markup.Escape(SharedOptions.Printable(Shortened(key))), Markup.Escape(SharedOptions.Printable(Shortened(value))));
            }
            AnsiConsole.Write(metadata);
            var tensors = new Table().AddColumns("tensor", "dtype", "shape", "elements");
            long total = 0;
            foreach (var entry in file.Entries)
            {
                long count = entry.Shape.Aggregate(1L, (a, b) => a * b);
                total += count;
                tensors.AddRow(Markup.Escape(SharedOptions.Printable(Shortened(entry.Name))), Markup.Escape(SharedOptions.Printable(Shortened(entry.DType))), Markup.Escape($"[{string.Join(", ", entry.Shape)}]"), count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(tensors);
            AnsiConsole.MarkupLineInterpolated($"{Words.Count(file.Entries.Count, "tensor")}, {Words.Count(total, "parameter")}");
            return 0;
        });
        return command;
    }

    private static string Shortened(string text) =>
        text.Length <= MaxShown ? text : $"{text[..MaxShown]}… ({text.Length:N0} characters in all)";
}
