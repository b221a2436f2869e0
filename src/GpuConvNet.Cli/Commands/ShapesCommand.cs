using System.CommandLine;
using GpuConvNet.Datasets;
using Spectre.Console;

namespace GpuConvNet.Cli.Commands;

/// <summary><c>gpuconvnet shapes</c>: writes a data set of hand-drawn-looking shapes to train on.</summary>
public static class ShapesCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o") { Description = "Folder to write train/<shape>/*.png and test/<shape>/*.png into", Required = true };
        var perClass = new Option<int>("--per-class", "-n") { Description = "Pictures of each shape (a fifth go to test/)", DefaultValueFactory = _ => 500 };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed writes the same files", DefaultValueFactory = _ => 1 };
        var command = new Command("shapes",
            $"Write a labelled image-folder data set of hand-drawn-looking shapes ({string.Join(", ", HandDrawnShapes.Classes)}; {HandDrawnShapes.Size}×{HandDrawnShapes.Size} PNG) " +
            "for 'train --dataset folder:DIR'")
        {
            output, perClass, seed,
        };
        command.Validators.Add(result =>
        {
            if (SharedOptions.TryGetValue(result, perClass, out int n) && n is < 2 or > 100_000)
            {
                result.AddError($"--per-class must be from 2 to 100000, not {n}");
            }
        });
        command.SetAction(parsed =>
        {
            string directory = Path.GetFullPath(parsed.GetValue(output)!);
            SharedOptions.RequireWritableDirectory(directory);
            if (Directory.EnumerateFileSystemEntries(directory).Any(e => !Path.GetFileName(e).StartsWith('.')))
            {
                throw new UserInputException($"--out {directory} is not empty; name a new or empty folder (nothing there is overwritten)");
            }
            var (train, test) = HandDrawnShapes.Write(directory, parsed.GetValue(perClass), parsed.GetValue(seed));
            AnsiConsole.MarkupLineInterpolated($"wrote {Words.Count(train, "training picture")} and {Words.Count(test, "test picture")} of {string.Join(", ", HandDrawnShapes.Classes)} into {directory}");
            AnsiConsole.MarkupLineInterpolated($"[grey]train on them: gpuconvnet train --dataset folder:{directory} --model cnn[/]");
            return 0;
        });
        return command;
    }
}
