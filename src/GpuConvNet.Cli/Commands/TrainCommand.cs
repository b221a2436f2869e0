using System.CommandLine;
using System.Globalization;
using GpuConvNet.Nn;
using GpuConvNet.Reports;
using GpuConvNet.Training;
using Spectre.Console;

namespace GpuConvNet.Cli.Commands;

/// <summary><c>gpuconvnet train</c>: trains a model, checkpointing every epoch, then reports on the test set.</summary>
public static class TrainCommand
{
    /// <summary>The largest --batch.</summary>
    public const int MaxBatch = 65536;

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m")
        {
            Description = $"Model: {string.Join(", ", ModelZoo.All.Select(r => r.Name))}",
            DefaultValueFactory = _ => ModelZoo.DefaultModel,
        };
        model.AcceptOnlyFromAmong([.. ModelZoo.All.Select(r => r.Name)]);
        var device = SharedOptions.Device();
        var epochs = new Option<int?>("--epochs", "-e") { Description = $"Epochs {SharedOptions.PerModelDefault(d => d.Epochs)}" };
        var batch = new Option<int?>("--batch", "-b") { Description = $"Batch size {SharedOptions.PerModelDefault(d => d.BatchSize)}" };
        var learningRate = new Option<double?>("--lr") { Description = $"Initial learning rate {SharedOptions.PerModelDefault(d => d.LearningRate)}" };
        var optimizer = SharedOptions.Choice("--optimizer", $"sgd (momentum 0.9) or adam {SharedOptions.PerModelDefault(d => d.Optimizer)}",
            SharedOptions.Names<OptimizerKind>());
        var schedule = SharedOptions.Choice("--schedule", $"constant, step (×0.7 per epoch), cosine, or onecycle (up for a quarter, then down, per step) {SharedOptions.PerModelDefault(d => d.Schedule)}",
            SharedOptions.Names<ScheduleKind>());
        var shift = new Option<int?>("--shift") { Description = $"Random-shift augmentation in pixels {SharedOptions.PerModelDefault(d => d.MaxShift)}" };
        var weightDecay = new Option<float>("--weight-decay") { Description = "L2 weight decay", DefaultValueFactory = _ => 0f };
        var validation = new Option<double>("--validation") { Description = "Fraction of the training set held out for validation", DefaultValueFactory = _ => 0.1 };
        var seed = new Option<int>("--seed") { Description = "Seed of initialisation, split, shuffling, dropout, augmentation", DefaultValueFactory = _ => 1 };
        var data = new DataOptions();
        var output = new Option<string?>("--out", "-o") { Description = "Output folder [default: runs/<model>-<time>]" };
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue the run whose last checkpoint (<model>.safetensors) this is, in its folder, with its settings; --epochs trains further",
        };
        var command = new Command("train",
            "Train a model on MNIST or another data set (--dataset); writes a checkpoint, history and learning curves after every epoch, then tests it")
        {
            model, device, epochs, batch, learningRate, optimizer, schedule, shift, weightDecay, validation, seed, output, resume,
        };
        data.AddTo(command);
        command.Validators.Add(result =>
        {
            // Values that do not convert are already parse errors: check only those that do.
            if (SharedOptions.TryGetValue(result, epochs, out var e) && e is < 1)
            {
                result.AddError($"--epochs must be at least 1, not {e}");
            }
            // A batch's activations are sized in ints: far beyond any data set, the sizes would overflow.
            if (SharedOptions.TryGetValue(result, batch, out var b) && b is < 1 or > MaxBatch)
            {
                result.AddError($"--batch must be from 1 to {MaxBatch}, not {b}");
            }
            if (SharedOptions.TryGetValue(result, shift, out var s) && s is < 0)
            {
                result.AddError($"--shift must not be negative, not {s}");
            }
            // A resumed run keeps the settings it was started with: say so rather than ignore what contradicts them.
            var contradicting = new Option[] { model, batch, learningRate, optimizer, schedule, shift, weightDecay, validation, seed, output, data.Size, data.Preprocess, data.TestFraction }
                .Where(o => result.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            if (result.GetResult(resume) is { Implicit: false } && contradicting.Count > 0)
            {
                result.AddError($"--resume continues a run with the settings it was started with, so {string.Join(", ", contradicting)} cannot be changed; drop {(contradicting.Count == 1 ? "it" : "them")} (--epochs, --device, --data and --dataset may be given), or start a new run without --resume");
            }
            // NaN compares false with everything, and 1e400 parses as infinity: say finite explicitly.
            if (SharedOptions.TryGetValue(result, learningRate, out var lr) && lr is { } rate && !(rate > 0 && double.IsFinite(rate)))
            {
                result.AddError($"--lr must be a positive finite number, not {rate}");
            }
            if (SharedOptions.TryGetValue(result, weightDecay, out var decay) && !(decay >= 0 && float.IsFinite(decay)))
            {
                result.AddError($"--weight-decay must be a finite number ≥ 0, not {decay}");
            }
            if (SharedOptions.TryGetValue(result, validation, out var v) && v is not (>= 0 and < 1))
            {
                result.AddError("--validation must be in [0, 1)");
            }
        });
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(resume) is { } checkpoint)
            {
                return Resume(checkpoint, parsed.GetValue(epochs), parsed.GetValue(device)!, data, parsed);
            }
            var recipe = ModelZoo.Get(parsed.GetValue(model)!);
            var d = recipe.Defaults;
            int epochCount = parsed.GetValue(epochs) ?? d.Epochs;
            var settings = new TrainingSettings(epochCount, parsed.GetValue(batch) ?? d.BatchSize, SharedOptions.ToEnum<OptimizerKind>(parsed.GetValue(optimizer)) ?? d.Optimizer,
                new LearningRateSchedule(SharedOptions.ToEnum<ScheduleKind>(parsed.GetValue(schedule)) ?? d.Schedule, parsed.GetValue(learningRate) ?? d.LearningRate, epochCount),
                parsed.GetValue(seed), parsed.GetValue(shift) ?? d.MaxShift, parsed.GetValue(weightDecay));
            string directory = parsed.GetValue(output) ?? Path.Combine("runs", $"{recipe.Name}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
            // The output folder and the device first: a bad --out or --device is told at once, not after the data has loaded.
            SharedOptions.RequireWritableDirectory(directory);
            using var accelerator = CommandLine.OpenDevice(parsed.GetValue(device)!);
            var dataset = data.Load(parsed, settings.Seed);
            double fraction = parsed.GetValue(validation);
            return Train(accelerator, recipe, settings, dataset, directory,
                (progress, sinks, cancel) => TrainingRun.Run(accelerator, recipe, settings, dataset, fraction, directory, progress, sinks, cancel));
        });
        return command;
    }

    /// <summary><c>train --resume CHECKPOINT [--epochs N]</c>: the run goes on in the checkpoint's folder, with its settings and data set.</summary>
    private static int Resume(string checkpoint, int? epochs, string device, DataOptions data, ParseResult parsed)
    {
        // Read and checked once, before the device and the data: a run with nothing left to train says so at once.
        var run = RunToResume.Open(checkpoint, epochs);
        SharedOptions.RequireWritableDirectory(run.Directory);
        using var accelerator = CommandLine.OpenDevice(device);
        var dataset = data.Load(parsed, run.Settings.Seed, run.TrainedOn);
        AnsiConsole.MarkupLineInterpolated($"[grey]resuming after epoch {run.EpochsDone} of {run.Settings.Epochs} from {checkpoint}[/]");
        return Train(accelerator, run.Recipe, run.Settings, dataset, run.Directory,
            (progress, sinks, cancel) => TrainingRun.Resume(accelerator, run, dataset, progress, sinks, cancel));
    }

    private static int Train(Compute.Accelerator accelerator, ModelRecipe recipe, TrainingSettings settings, Datasets.Dataset data,
        string directory, Func<IProgress<TrainingProgress>, IEpochSink, CancellationToken, TrainingRunResult> run)
    {
        AnsiConsole.MarkupLineInterpolated($"[bold]{recipe.Name}[/]: {recipe.Description}");
        AnsiConsole.MarkupLineInterpolated(
            $"[grey]{Words.Count(settings.Epochs, "epoch")}, batch {settings.BatchSize}, {settings.Optimizer.ToString().ToLowerInvariant()} lr {settings.Schedule.Initial} ({settings.Schedule.Kind.ToString().ToLowerInvariant()}), seed {settings.Seed}, output {directory}[/]");
        Directory.CreateDirectory(directory);
        EvaluationPictures.WriteSamples(Path.Combine(directory, "samples.png"), data.Train, data.ClassNames);
        ReportPrinter.ClassCounts(data.ClassNames, Data.ClassCounts.Count(data.Train.Labels, data.Classes), Data.ClassCounts.Count(data.Test.Labels, data.Classes));
        using var stop = new StopRequests();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl+C stops after the current batch; a second one ends the process now (every file is atomic).
            e.Cancel = true;
            if (!stop.Press())
            {
                // Another SIGINT registration (the console libraries') keeps the runtime from ending the process: end it here.
                Console.Error.WriteLine("gpuconvnet: stopped at once; the last completed epoch's files are intact");
                Environment.Exit(130);
            }
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var result = TrainingDisplay.Run("", settings.Epochs, new RunReportWriter(directory, $"{recipe.Name} on {accelerator.Name}"),
                (progress, sinks) => run(progress, sinks, stop.Token));
            if (result.History.Count == 0)
            {
                // Stopped inside epoch 1: no file was written, and the half-trained model is not worth a report.
                AnsiConsole.MarkupLineInterpolated($"[yellow]stopped before epoch 1 finished: nothing was saved in {directory}[/]");
                return 130;
            }
            ReportPrinter.History(result.History);
            if (result.Stopped)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]stopped: the checkpoint holds epoch {result.History.Count} of {settings.Epochs}[/]");
            }
            ReportPrinter.Evaluation("test", result.Test.Loss, result.Confusion, data.ClassNames);
            var pictures = EvaluationPictures.Write(directory, data.Test, data.ClassNames, result.Test, result.Confusion, result.Loss == LossKind.SigmoidBinaryCrossEntropy, recipe.Name);
            // Without a validation split the best epoch is the one that fitted the training images best.
            string best = result.History.Any(r => double.IsFinite(r.ValidationAccuracy)) ? "best by validation accuracy" : "best by training accuracy: --validation 0 holds no images out";
            AnsiConsole.MarkupLineInterpolated($"[grey]checkpoints {result.Checkpoint} (last) and {result.BestCheckpoint} ({best}); history.csv/json, learning-curves.png/svg, samples.png, {string.Join(", ", pictures.Select(Path.GetFileName))} in {directory}[/]");
            WarnAtChance(result.History[^1], data.Classes, settings.Schedule.Initial);
            AnsiConsole.MarkupLineInterpolated($"test accuracy: [bold]{result.Test.Accuracy:P2}[/] ({recipe.Name}, {result.Parameters:N0} parameters, {Words.Count(result.History.Count, "epoch")}, {result.Seconds:F0} s on {accelerator.Name})");
            return result.Stopped ? 130 : 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    // A run whose accuracy stays where guessing would be has learnt nothing, though its loss may look finite.
    private static void WarnAtChance(EpochRecord last, int classes, double learningRate)
    {
        double chance = 1.0 / classes;
        double accuracy = double.IsFinite(last.ValidationAccuracy) ? Math.Max(last.TrainAccuracy, last.ValidationAccuracy) : last.TrainAccuracy;
        if (accuracy < 1.5 * chance)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"[yellow]warning: accuracy stayed at chance level ({accuracy:P1}, where guessing among {classes} classes gets {chance:P1}): the model learnt nothing. The learning rate ({learningRate.ToString(CultureInfo.InvariantCulture)}) is the usual cause: train again with a lower --lr (e.g. a tenth), or without --lr for the model's default[/]");
        }
    }
}
