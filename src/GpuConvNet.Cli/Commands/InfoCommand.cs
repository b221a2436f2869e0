using System.CommandLine;
using GpuConvNet.Checkpoints;
using Spectre.Console;

namespace GpuConvNet.Cli.Commands;

/// <summary><c>gpuconvnet info</c>: what a checkpoint holds.</summary>
public static class InfoCommand
{
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
                metadata.AddRow(Markup.Escape(SharedOptions.Printable(key)), Markup.Escape(SharedOptions.Printable(value)));
            }
            AnsiConsole.Write(metadata);
            var tensors = new Table().AddColumns("tensor", "dtype", "shape", "elements");
            long total = 0;
            foreach (var entry in file.Entries)
            {
                long count = entry.Shape.Aggregate(1L, (a, b) => a * b);
                total += count;
                tensors.AddRow(Markup.Escape(SharedOptions.Printable(entry.Name)), Markup.Escape(SharedOptions.Printable(entry.DType)), Markup.Escape($"[{string.Join(", ", entry.Shape)}]"), count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(tensors);
            AnsiConsole.MarkupLineInterpolated($"{Words.Count(file.Entries.Count, "tensor")}, {Words.Count(total, "parameter")}");
            return 0;
        });
        return command;
    }
}
