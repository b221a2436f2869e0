using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using GpuConvNet.Distributed;
using GpuConvNet.Nn;
using GpuConvNet.Reports;
using GpuConvNet.Training;
using Spectre.Console;

namespace GpuConvNet.Cli.Commands;

/// <summary><c>gpuconvnet train</c>: trains a model, checkpointing every epoch, then reports on the test set.</summary>
public static class TrainCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var options = new TrainOptions();
        var command = new Command("train",
            "Train a model on MNIST or another data set (--dataset); writes a checkpoint, history and learning curves after every epoch, then tests it");
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }
        options.Data.AddTo(command);
        command.Validators.Add(options.Check);
        command.SetAction(parsed => parsed.GetValue(options.Resume) is { } checkpoint
            ? Resume(checkpoint, parsed.GetValue(options.Epochs), parsed.GetValue(options.Device)!, options.Data, parsed)
            : TrainAfresh(options, parsed));
        return command;
    }

    /// <summary><c>train</c>: a new run of the model named, with its defaults where the options say nothing.</summary>
    private static int TrainAfresh(TrainOptions options, ParseResult parsed)
    {
        var group = Ranks.Join();
        var recipe = ModelZoo.Get(parsed.GetValue(options.Model)!);
        var d = recipe.Defaults;
        int epochCount = parsed.GetValue(options.Epochs) ?? d.Epochs;
        var schedule = new LearningRateSchedule(SharedOptions.ToEnum<ScheduleKind>(parsed.GetValue(options.Schedule)) ?? d.Schedule,
            parsed.GetValue(options.LearningRate) ?? d.LearningRate, epochCount);
        var settings = new TrainingSettings(epochCount, parsed.GetValue(options.Batch) ?? d.BatchSize,
            SharedOptions.ToEnum<OptimizerKind>(parsed.GetValue(options.Optimizer)) ?? d.Optimizer, schedule, parsed.GetValue(options.Seed),
            parsed.GetValue(options.Shift) ?? d.MaxShift, parsed.GetValue(options.WeightDecay),
            MaxRotation: parsed.GetValue(options.Rotate) ?? d.MaxRotation, MaxScale: parsed.GetValue(options.Scale) ?? d.MaxScale,
            Elastic: parsed.GetValue(options.ElasticAlpha) is > 0f and var alpha ? new Kernels.ElasticDistortion(alpha, parsed.GetValue(options.ElasticSigma)) : default);
        string directory = parsed.GetValue(options.Output) ?? Path.Combine("runs", $"{recipe.Name}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        // The output folder and the device first: a bad --out or --device is told at once, not after the data has loaded.
        if (group.Rank == 0)
        {
            SharedOptions.RequireWritableDirectory(directory);
        }
        using var accelerator = CommandLine.OpenDevice(Ranks.Device(parsed.GetValue(options.Device)!, group));
        var dataset = options.Data.Load(parsed, settings.Seed);
        double fraction = parsed.GetValue(options.Validation);
        return Train(accelerator, recipe, settings, dataset, directory, group,
            (progress, sinks, cancel) => TrainingRun.Run(accelerator, recipe, settings, dataset, fraction, directory, progress, sinks, cancel, group));
    }

    /// <summary><c>train --resume CHECKPOINT [--epochs N]</c>: the run goes on in the checkpoint's folder, with its settings and data set.</summary>
    private static int Resume(string checkpoint, int? epochs, string device, DataOptions data, ParseResult parsed)
    {
        var group = Ranks.Join();
        // Read and checked once, before the device and the data: a run with nothing left to train says so at once.
        var run = RunToResume.Open(checkpoint, epochs);
        if (group.Rank == 0)
        {
            SharedOptions.RequireWritableDirectory(run.Directory);
        }
        using var accelerator = CommandLine.OpenDevice(Ranks.Device(device, group));
        var dataset = data.Load(parsed, run.Settings.Seed, run.TrainedOn);
        AnsiConsole.MarkupLineInterpolated($"[grey]resuming after epoch {run.EpochsDone} of {run.Settings.Epochs} from {checkpoint}[/]");
        return Train(accelerator, run.Recipe, run.Settings, dataset, run.Directory, group,
            (progress, sinks, cancel) => TrainingRun.Resume(accelerator, run, dataset, progress, sinks, cancel, group));
    }

    private static int Train(Compute.Accelerator accelerator, ModelRecipe recipe, TrainingSettings settings, Datasets.Dataset data,
        string directory, IProcessGroup group, Func<IProgress<TrainingProgress>, IEpochSink, CancellationToken, TrainingRunResult> run)
    {
        bool writes = group.Rank == 0;
        AnsiConsole.MarkupLineInterpolated($"[bold]{recipe.Name}[/]: {recipe.Description}");
        AnsiConsole.MarkupLineInterpolated(
            $"[grey]{Words.Count(settings.Epochs, "epoch")}, batch {settings.BatchSize}, {settings.Optimizer.ToString().ToLowerInvariant()} lr {settings.Schedule.Initial} ({settings.Schedule.Kind.ToString().ToLowerInvariant()}){Augmentation(settings)}, seed {settings.Seed}, output {directory}[/]");
        if (group.Size > 1)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"[grey]data-parallel over {group.Size} processes: batch {settings.BatchSize} per process, {settings.BatchSize * group.Size} per step; gradients averaged by MPI_Allreduce[/]");
        }
        if (writes)
        {
            Directory.CreateDirectory(directory);
            EvaluationPictures.WriteSamples(Path.Combine(directory, "samples.png"), data.Train, data.ClassNames);
        }
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
        using var rankSignals = RankStopSignals(group, stop);
        try
        {
            IEpochSink reports = writes ? new RunReportWriter(directory, $"{recipe.Name} on {accelerator.Name}") : new EpochSinks();
            TrainingRunResult result;
            try
            {
                result = TrainingDisplay.Run("", settings.Epochs, reports, (progress, sinks) => run(progress, sinks, stop.Token));
            }
            catch (DistributedStopException stopped)
            {
                // Every rank ends here at once, before mpirun's SIGKILL; rank 0 says what the files hold.
                if (writes)
                {
                    AnsiConsole.MarkupLineInterpolated($"[yellow]{stopped.Message}[/]");
                }
                return ProcessGroups.StoppedTogether;
            }
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
            var pictures = writes
                ? EvaluationPictures.Write(directory, data.Test, data.ClassNames, result.Test, result.Confusion, result.Loss == LossKind.SigmoidBinaryCrossEntropy, recipe.Name)
                : [];
            if (result.AllReduces > 0)
            {
                AnsiConsole.MarkupLineInterpolated(
                    $"[grey]all-reduce: {result.AllReduces} steps, {result.AllReduceSeconds * 1000 / result.AllReduces:F2} ms per step of {result.TrainingSeconds * 1000 / result.AllReduces:F2} ms (rank 0)[/]");
            }
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

    // Open MPI's mpirun answers Ctrl+C by sending every rank SIGTERM, and SIGKILL a second later; it does not pass
    // SIGUSR1 on (Open MPI 4.1.4, tried). A rank takes SIGTERM or SIGUSR1 sent to it (by mpirun, or Slurm's scancel) as a
    // first Ctrl+C: the ranks agree to stop after the same batch and end at once, without the test evaluation, inside
    // that second (DistributedStopException). One process keeps the runtime's handling of both, as before.
    private static CompositeDisposable? RankStopSignals(IProcessGroup group, StopRequests stop)
    {
        if (group.Size == 1 || OperatingSystem.IsWindows())
        {
            return null;
        }
        int userSignal1 = OperatingSystem.IsMacOS() ? 30 : 10;
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Press();
        }
        return new CompositeDisposable(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop), PosixSignalRegistration.Create((PosixSignal)userSignal1, Stop));
    }

    private sealed class CompositeDisposable(params IDisposable[] parts) : IDisposable
    {
        public void Dispose()
        {
            foreach (var part in parts)
            {
                part.Dispose();
            }
        }
    }

    // The augmentation in the user's words, when there is any: ", random shifts of ±2 px, rotations of ±10°, scales of ±10 %,
    // elastic distortions of α 34 px, σ 4 px".
    private static string Augmentation(TrainingSettings settings)
    {
        var c = CultureInfo.InvariantCulture;
        var parts = new List<string>();
        if (settings.MaxShift > 0)
        {
            parts.Add($"shifts of ±{settings.MaxShift.ToString(c)} px");
        }
        if (settings.MaxRotation > 0)
        {
            parts.Add($"rotations of ±{settings.MaxRotation.ToString(c)}°");
        }
        if (settings.MaxScale > 0)
        {
            parts.Add($"scales of ±{(settings.MaxScale * 100).ToString("0.#", c)} %");
        }
        if (settings.Elastic.IsOn)
        {
            parts.Add($"elastic distortions of α {settings.Elastic.Alpha.ToString(c)} px, σ {settings.Elastic.Sigma.ToString(c)} px");
        }
        return parts.Count == 0 ? "" : ", random " + string.Join(", ", parts);
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
