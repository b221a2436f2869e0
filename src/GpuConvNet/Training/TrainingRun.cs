using System.Diagnostics;
using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Datasets;
using GpuConvNet.Distributed;
using GpuConvNet.Metrics;
using GpuConvNet.Nn;

namespace GpuConvNet.Training;

/// <summary>What a training run produced.</summary>
/// <param name="Model">The model name.</param>
/// <param name="History">One record per completed epoch.</param>
/// <param name="Test">
/// Test-set evaluation (with predictions and logits) of the model in <paramref name="Checkpoint"/>: after a stop, of the
/// last completed epoch, not of the steps taken since (stopped within epoch 1, of the partly trained model, which no
/// file holds).
/// </param>
/// <param name="Confusion">Test-set confusion matrix.</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="Seconds">Wall time of the whole run.</param>
/// <param name="Checkpoint">Path of the last checkpoint.</param>
/// <param name="Stopped">True when cancelled before the last epoch (the checkpoint is of the last completed one).</param>
/// <param name="Loss">The loss the model trained with (sigmoid-output models report probabilities differently).</param>
/// <param name="BestCheckpoint">
/// Path of the checkpoint of the epoch with the best validation accuracy (training accuracy without a validation set),
/// as Keras' and Lightning's "best"; the same epoch as <paramref name="Checkpoint"/> when the last was the best.
/// </param>
public sealed record TrainingRunResult(string Model, IReadOnlyList<EpochRecord> History, Evaluation Test, ConfusionMatrix Confusion,
    long Parameters, double Seconds, string Checkpoint, bool Stopped, LossKind Loss, string BestCheckpoint)
{
    /// <summary>Seconds of the epochs this run completed (not a resumed checkpoint's earlier ones).</summary>
    public double TrainingSeconds { get; init; }

    /// <summary>Gradient all-reduces of this run (0 in one process): one per step.</summary>
    public int AllReduces { get; init; }

    /// <summary>Seconds this rank spent in them, waiting for the slowest rank included.</summary>
    public double AllReduceSeconds { get; init; }
}

/// <summary>
/// A whole training run: split, upload, train epoch by epoch with validation, and after every epoch write the last
/// checkpoint, and the best one when validation accuracy improved, atomically (stopping at any moment leaves the last
/// completed epoch's), and tell the epoch sink (the reports, the console), then evaluate on the test set (of the last).
/// Given a process group of several (mpirun, srun), the run is one rank of a data-parallel run (<see cref="DataParallel"/>):
/// only rank 0 writes files; the caller tells its other ranks' progress and sinks to stay quiet.
/// </summary>
public static class TrainingRun
{
    /// <summary>
    /// Runs <paramref name="recipe"/> with <paramref name="settings"/>, writing into <paramref name="outputDirectory"/>,
    /// as one rank of <paramref name="group"/> (null: this process alone).
    /// </summary>
    public static TrainingRunResult Run(Accelerator accelerator, ModelRecipe recipe, TrainingSettings settings, Dataset data,
        double validationFraction, string outputDirectory, IProgress<TrainingProgress>? progress, IEpochSink? epochs,
        CancellationToken cancel, IProcessGroup? group = null)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(data);
        group ??= SingleProcess.Instance;
        var clock = Stopwatch.StartNew();
        DeleteStaleTemporaries(outputDirectory, group);
        using var session = TrainingSession.Open(accelerator, recipe, settings, data, TrainedOn.Of(data), validationFraction, outputDirectory, group);
        return Finish(session, recipe, progress, epochs, cancel, clock);
    }

    /// <summary>
    /// Continues <paramref name="run"/> on <paramref name="data"/>, which must be what its checkpoint was trained on: the
    /// model, the optimiser's state and step count, the epoch, the history, the settings and the validation split come
    /// from the checkpoint, and so does the input normalisation. The same seed keys the shuffles, dropout and
    /// augmentation by epoch and step, so 2 epochs and a resume to 4 give the weights of 4 epochs in one go, bit for bit,
    /// on the same device (a cosine schedule's rates depend on the planned total: there, when the first run was planned
    /// for 4 and stopped after 2). Files go where the checkpoint is. With <paramref name="group"/>, on as many ranks as
    /// it has, whatever the checkpoint was trained with: rank 0's checkpoint is the one every rank goes on from.
    /// </summary>
    public static TrainingRunResult Resume(Accelerator accelerator, RunToResume run, Dataset data, IProgress<TrainingProgress>? progress,
        IEpochSink? epochs, CancellationToken cancel, IProcessGroup? group = null)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(data);
        var clock = Stopwatch.StartNew();
        var trainedOn = TrainedOn.Of(data);
        DataFit.RequireSame(run.TrainedOn, trainedOn, run.Checkpoint);
        group ??= SingleProcess.Instance;
        DeleteStaleTemporaries(run.Directory, group);
        // The model learnt on inputs normalised as its checkpoint says: it goes on so.
        using var session = TrainingSession.Open(accelerator, run.Recipe, run.Settings, data, trainedOn with { Normalization = run.TrainedOn.Normalization },
            run.Point.ValidationFraction, run.Directory, group);
        session.Restore(run);
        return Finish(session, run.Recipe, progress, epochs, cancel, clock);
    }

    // Temporary files of an earlier run that was killed mid-write (a minute old: a live writer's are younger); rank 0's
    // to delete, as it alone writes.
    private static void DeleteStaleTemporaries(string directory, IProcessGroup group)
    {
        if (group.Rank == 0)
        {
            AtomicFile.DeleteStaleTemporaries(directory, TimeSpan.FromMinutes(1));
        }
    }

    private static TrainingRunResult Finish(TrainingSession session, ModelRecipe recipe, IProgress<TrainingProgress>? progress, IEpochSink? epochs,
        CancellationToken cancel, Stopwatch clock)
    {
        session.TrainEpochs(progress, epochs, cancel);
        if (session.Stopped && session.Distributed)
        {
            throw new DistributedStopException(session.History.Count, session.Epochs, session.Checkpoints.Last);
        }
        var (test, confusion) = session.Test();
        return new TrainingRunResult(recipe.Name, [.. session.History], test, confusion, session.Parameters, clock.Elapsed.TotalSeconds,
            session.Checkpoints.Last, session.Stopped, session.Loss, session.Checkpoints.Best)
        {
            TrainingSeconds = session.TrainingSeconds,
            AllReduces = session.AllReduces,
            AllReduceSeconds = session.AllReduceTime.TotalSeconds,
        };
    }
}
