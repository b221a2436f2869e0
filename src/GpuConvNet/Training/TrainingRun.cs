using System.Diagnostics;
using System.Globalization;
using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Data;
using GpuConvNet.Datasets;
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
    long Parameters, double Seconds, string Checkpoint, bool Stopped, LossKind Loss, string BestCheckpoint);

/// <summary>
/// A whole training run: split, upload, train epoch by epoch with validation, and after every epoch write the last
/// checkpoint, and the best one when validation accuracy improved, atomically (stopping at any moment leaves the last
/// completed epoch's), and tell the epoch sink (the reports, the console), then evaluate on the test set (of the last).
/// </summary>
public static class TrainingRun
{
    /// <summary>Runs <paramref name="recipe"/> with <paramref name="settings"/>, writing into <paramref name="outputDirectory"/>.</summary>
    public static TrainingRunResult Run(Accelerator accelerator, ModelRecipe recipe, TrainingSettings settings, Dataset data,
        double validationFraction, string outputDirectory, IProgress<TrainingProgress>? progress, IEpochSink? epochs,
        CancellationToken cancel) =>
        Run(accelerator, recipe, settings, data, validationFraction, outputDirectory, progress, epochs, cancel, resume: null);

    /// <summary>
    /// Continues the run whose last checkpoint is <paramref name="checkpointPath"/>: the model, the optimiser's state and
    /// step count, the epoch and the history come from it, and so do the settings and the validation split (with
    /// <paramref name="totalEpochs"/> to train further than planned). The same seed keys the shuffles, dropout and
    /// augmentation by epoch and step, so 2 epochs and a resume to 4 give the weights of 4 epochs in one go, bit for bit,
    /// on the same device (a cosine schedule's rates depend on the planned total: there, when the first run was planned
    /// for 4 and stopped after 2). Files go where the checkpoint is.
    /// </summary>
    public static TrainingRunResult Resume(Accelerator accelerator, string checkpointPath, Dataset data, int? totalEpochs,
        IProgress<TrainingProgress>? progress, IEpochSink? epochs, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(checkpointPath);
        var file = SafeTensors.Read(checkpointPath);
        var point = ResumePoint.From(file, checkpointPath);
        var settings = point.Settings with
        {
            Epochs = totalEpochs ?? point.Settings.Epochs,
            Schedule = point.Settings.Schedule with { Epochs = totalEpochs ?? point.Settings.Epochs },
        };
        if (settings.Epochs <= point.History.Count)
        {
            throw new UserInputException(totalEpochs is { } asked
                ? $"{checkpointPath} already holds {point.History.Count} epochs, so --epochs {asked} leaves nothing to train; pass --epochs {point.History.Count + 1} or more to train further"
                : $"{checkpointPath} holds epoch {point.History.Count} of {settings.Epochs}: nothing is left to train; pass --epochs to train further");
        }
        string directory = Path.GetDirectoryName(Path.GetFullPath(checkpointPath))!;
        return Run(accelerator, ModelCheckpoint.RecipeOf(file), settings, data, point.ValidationFraction, directory, progress, epochs, cancel, (point, file));
    }

    private static TrainingRunResult Run(Accelerator accelerator, ModelRecipe recipe, TrainingSettings settings, Dataset data,
        double validationFraction, string outputDirectory, IProgress<TrainingProgress>? progress, IEpochSink? epochs,
        CancellationToken cancel, (ResumePoint Point, SafeTensorsFile File)? resume)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(data);
        var clock = Stopwatch.StartNew();
        // Temporary files of an earlier run that was killed mid-write (a minute old: a live writer's are younger).
        AtomicFile.DeleteStaleTemporaries(outputDirectory, TimeSpan.FromMinutes(1));
        var split = TrainValidationSplit.Create(data.Train.Count, validationFraction, settings.Seed);
        var trainedOn = TrainedOn.Of(data);
        if (resume is { } resuming)
        {
            var checkpointData = TrainedOn.From(resuming.File.Metadata, resuming.File.Name);
            DataFit.RequireSame(checkpointData, trainedOn, resuming.File.Name);
            // The model learnt on inputs normalised as its checkpoint says: it goes on so.
            trainedOn = trainedOn with { Normalization = checkpointData.Normalization };
        }
        // The model fits the data: its input is the images' size, its outputs the classes.
        using var model = recipe.Create(trainedOn.Input, data.Classes);
        DataFit.Require(model, data.Test, data.TestSource);
        DataFit.Build(model, accelerator, settings.BatchSize, settings.Seed);
        using var train = DeviceDataset.From(accelerator, data.Train, trainedOn.Normalization, split.Train);
        using var validation = split.Validation.Length > 0 ? DeviceDataset.From(accelerator, data.Train, trainedOn.Normalization, split.Validation) : null;
        using var test = DeviceDataset.From(accelerator, data.Test, trainedOn.Normalization);
        using var trainer = new Trainer(model, settings);
        using var evaluator = new Evaluator(model, settings.BatchSize);
        string checkpoint = Path.Combine(outputDirectory, recipe.Name + ".safetensors");
        string bestCheckpoint = Path.Combine(outputDirectory, recipe.Name + ".best.safetensors");
        double bestAccuracy = double.NegativeInfinity;
        Func<EpochRecord, double> monitored = record => split.Validation.Length > 0 ? record.ValidationAccuracy : record.TrainAccuracy;
        var history = new List<EpochRecord>();
        if (resume is { } from)
        {
            ModelCheckpoint.Load(from.File, model);
            trainer.Optimizer.Restore(from.Point.OptimizerSteps, from.File.ReadFloats);
            history.AddRange(from.Point.History);
            bestAccuracy = history.Count == 0 ? double.NegativeInfinity : history.Max(monitored);
        }
        bool stopped = false;
        for (int epoch = history.Count + 1; epoch <= settings.Epochs; epoch++)
        {
            (double Loss, double Accuracy, double Seconds) trained;
            try
            {
                trained = trainer.TrainEpoch(train, epoch, progress, cancel);
            }
            catch (OperationCanceledException)
            {
                stopped = true;
                break;
            }
            var checkedOn = validation is null ? null : evaluator.Evaluate(validation, keepOutputs: false);
            var record = new EpochRecord(epoch, trained.Loss, trained.Accuracy, checkedOn?.Loss ?? double.NaN, checkedOn?.Accuracy ?? double.NaN,
                settings.Schedule.At(epoch), trained.Seconds, train.Count / trained.Seconds);
            history.Add(record);
            // The reports first: a kill between the two writes leaves them one epoch ahead of the checkpoint, never behind.
            epochs?.EpochCompleted(record, history);
            // The last checkpoint is resumable: the optimiser's state beside the weights, and what else resuming needs.
            var state = trainer.Optimizer.StateTensors().Select(t => new CheckpointTensor(t.Name, t.Shape, t.Buffer.ToArray()));
            ModelCheckpoint.Save(checkpoint, model, ResumePoint.Describe(Metadata(settings, accelerator, record, "last", trainedOn), settings,
                validationFraction, trainer.Optimizer.Steps, history), state);
            double accuracy = monitored(record);
            if (accuracy > bestAccuracy)
            {
                bestAccuracy = accuracy;
                ModelCheckpoint.Save(bestCheckpoint, model, Metadata(settings, accelerator, record, trainedOn: trainedOn, kind:
                    $"best ({(validation is null ? "training" : "validation")} accuracy {accuracy.ToString("P2", CultureInfo.InvariantCulture)})"));
            }
        }
        if (stopped && history.Count > 0)
        {
            // The steps of the interrupted epoch are in no file: report on the checkpoint the run leaves (the last
            // completed epoch), which is what eval and predict will load, not on weights nobody can get back.
            ModelCheckpoint.Load(checkpoint, model);
        }
        var testResult = evaluator.Evaluate(test, keepOutputs: true);
        var confusion = ConfusionMatrix.From(test.HostLabels.ToArray(), testResult.Predictions!, model.Classes);
        return new TrainingRunResult(recipe.Name, history, testResult, confusion, model.ParameterCount, clock.Elapsed.TotalSeconds, checkpoint, stopped, model.Loss, bestCheckpoint);
    }

    private static Dictionary<string, string> Metadata(TrainingSettings settings, Accelerator accelerator, EpochRecord record, string kind, TrainedOn trainedOn) =>
        new(trainedOn.ToMetadata())
    {
        ["checkpoint"] = kind,
        ["epoch"] = record.Epoch.ToString(CultureInfo.InvariantCulture),
        ["validation_accuracy"] = record.ValidationAccuracy.ToString("R", CultureInfo.InvariantCulture),
        ["train_loss"] = record.TrainLoss.ToString("R", CultureInfo.InvariantCulture),
        ["optimizer"] = settings.Optimizer.ToString().ToLowerInvariant(),
        ["learning_rate"] = settings.Schedule.Initial.ToString("R", CultureInfo.InvariantCulture),
        ["batch_size"] = settings.BatchSize.ToString(CultureInfo.InvariantCulture),
        ["seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
        ["device"] = accelerator.Name,
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    };
}
