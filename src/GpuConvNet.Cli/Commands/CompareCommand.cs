using System.CommandLine;
using System.Globalization;
using GpuConvNet.Nn;
using GpuConvNet.Reports;
using GpuConvNet.Training;
using Spectre.Console;

namespace GpuConvNet.Cli.Commands;

/// <summary><c>gpuconvnet compare</c>: several models, the same epoch budget, one table.</summary>
public static class CompareCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var models = new Option<string>("--models")
        {
            Description = "Comma-separated model names",
            DefaultValueFactory = _ => "mlp-small,mlp,lenet5,cnn",
        };
        var epochs = new Option<int>("--epochs", "-e") { Description = "Epochs for every model (the shared budget)", DefaultValueFactory = _ => 1 };
        var device = SharedOptions.Device();
        var data = new DataOptions();
        var seed = new Option<int>("--seed") { Description = "Seed for every run", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out", "-o") { Description = "Output folder, one subfolder per model [default: runs/compare-<time>]" };
        var command = new Command("compare", "Train several models with the same epoch budget (each with its own batch, optimiser and rate) and compare accuracy, size and time")
        {
            models, epochs, device, seed, output,
        };
        data.AddTo(command);
        command.Validators.Add(result =>
        {
            // A value that does not convert is already a parse error.
            if (SharedOptions.TryGetValue(result, epochs, out int e) && e < 1)
            {
                result.AddError("--epochs must be at least 1");
            }
        });
        command.SetAction(parsed =>
        {
            var recipes = parsed.GetValue(models)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(ModelZoo.Get).ToList();
            int budget = parsed.GetValue(epochs);
            string root = parsed.GetValue(output) ?? Path.Combine("runs", $"compare-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
            var dataset = data.Load(parsed, parsed.GetValue(seed));
            using var accelerator = CommandLine.OpenDevice(parsed.GetValue(device)!);
            var table = new Table().Title($"{Words.Count(budget, "epoch")} each on {Markup.Escape(accelerator.Name)}")
                .AddColumns("model", "parameters", "test accuracy", "test loss", "seconds", "train images/s");
            foreach (var recipe in recipes)
            {
                var d = recipe.Defaults;
                var settings = new TrainingSettings(budget, d.BatchSize, d.Optimizer, new LearningRateSchedule(d.Schedule, d.LearningRate, budget),
                    parsed.GetValue(seed), d.MaxShift, MaxRotation: d.MaxRotation, MaxScale: d.MaxScale);
                AnsiConsole.MarkupLineInterpolated(
                    $"training [bold]{recipe.Name}[/] ({Words.Count(budget, "epoch")}, batch {d.BatchSize}, {d.Optimizer.ToString().ToLowerInvariant()} lr {d.LearningRate})");
                string directory = Path.Combine(root, recipe.Name);
                var result = TrainingDisplay.Run($"{recipe.Name} ", budget, new RunReportWriter(directory, $"{recipe.Name} on {accelerator.Name}"),
                    (progress, sinks) => TrainingRun.Run(accelerator, recipe, settings, dataset, 0.1, directory, progress, sinks, CancellationToken.None));
                double imagesPerSecond = result.History.Count == 0 ? double.NaN : result.History.Average(h => h.ImagesPerSecond);
                table.AddRow(recipe.Name, result.Parameters.ToString("N0", CultureInfo.InvariantCulture), result.Test.Accuracy.ToString("P2", CultureInfo.InvariantCulture),
                    result.Test.Loss.ToString("F4", CultureInfo.InvariantCulture), result.Seconds.ToString("F0", CultureInfo.InvariantCulture),
                    imagesPerSecond.ToString("N0", CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
