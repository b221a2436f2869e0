using System.Globalization;
using GpuConvNet.Training;
using Spectre.Console;

namespace GpuConvNet.Cli;

/// <summary>The live progress bar of a training run, one line per epoch: what <c>train</c> and <c>compare</c> show.</summary>
public static class TrainingDisplay
{
    /// <summary>
    /// Runs <paramref name="run"/> with a progress bar per epoch ("epoch 2/10 loss 0.1234 acc 97.1 % 5,000 img/s");
    /// <paramref name="reports"/> hear of every finished epoch. Returns what <paramref name="run"/> returns.
    /// </summary>
    public static TrainingRunResult Run(string label, int epochs, IEpochSink reports, Func<IProgress<TrainingProgress>, IEpochSink, TrainingRunResult> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            // A pipe or a log file: no live bar, which would show only at the end; a line per finished epoch instead.
            // Without a validation set (--validation 0) its accuracy is NaN: the line leaves it out.
            return run(new SynchronousProgress(_ => { }), new EpochSinks(reports, EpochSinks.From(e => AnsiConsole.MarkupLineInterpolated(
                $"{label}epoch {e.Epoch}/{epochs} loss {e.TrainLoss:F4} acc {e.TrainAccuracy:P1}{(double.IsNaN(e.ValidationAccuracy) ? "" : string.Create(CultureInfo.InvariantCulture, $", validation acc {e.ValidationAccuracy:P1}"))}, {e.Seconds:F1} s, {e.ImagesPerSecond:N0} img/s"))));
        }
        TrainingRunResult result = null!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask? task = null;
                var progress = new SynchronousProgress(p =>
                {
                    task ??= context.AddTask($"{label}epoch {p.Epoch}", maxValue: p.Batches);
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"{label}epoch {p.Epoch}/{epochs} loss {p.Loss:F4} acc {p.Accuracy:P1} {p.ImagesPerSecond:N0} img/s");
                    task.Value = p.Batch;
                });
                var sinks = new EpochSinks(reports, EpochSinks.From(_ =>
                {
                    task?.StopTask();
                    task = null;
                }));
                result = run(progress, sinks);
            });
        return result;
    }

    /// <summary>Reports on the calling thread: Progress&lt;T&gt; would post to the thread pool and reorder updates.</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
