using GpuConvNet.Checkpoints;
using System.Globalization;
using System.Security.Cryptography;
using GpuConvNet.Compute;
using GpuConvNet.Data;
using GpuConvNet.Datasets;
using GpuConvNet.Distributed;
using GpuConvNet.Metrics;
using GpuConvNet.Nn;

namespace GpuConvNet.Training;

/// <summary>
/// One training run on the device: the model built for the data, the training, validation and test sets uploaded,
/// the trainer, the evaluator and the checkpoints, with the history of the epochs completed. With several processes
/// each is one rank of the run: the same model on every rank, the batches and evaluations shared, rank 0's files.
/// </summary>
internal sealed class TrainingSession : IDisposable
{
    private readonly Model model;
    private readonly TrainingSettings settings;
    private readonly DeviceDataset train;
    private readonly DeviceDataset? validation;
    private readonly DeviceDataset test;
    private readonly Trainer trainer;
    private readonly Evaluator evaluator;
    private readonly DataParallel parallel;
    private readonly Stack<IDisposable> owned;
    private readonly List<EpochRecord> history = [];

    private TrainingSession(Model model, TrainingSettings settings, DeviceDataset train, DeviceDataset? validation, DeviceDataset test,
        Trainer trainer, Evaluator evaluator, RunCheckpoints checkpoints, Stack<IDisposable> owned)
    {
        this.model = model;
        this.settings = settings;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.trainer = trainer;
        this.evaluator = evaluator;
        parallel = trainer.Parallel;
        Checkpoints = checkpoints;
        this.owned = owned;
    }

    /// <summary>Where the epochs are saved.</summary>
    public RunCheckpoints Checkpoints { get; }

    /// <summary>The epochs completed, restored ones included.</summary>
    public IReadOnlyList<EpochRecord> History => history;

    /// <summary>The epochs the run is to train in all.</summary>
    public int Epochs => settings.Epochs;

    /// <summary>True when the session is one rank of several.</summary>
    public bool Distributed => parallel.Distributed;

    /// <summary>True when a cancellation stopped <see cref="TrainEpochs"/> inside an epoch (that epoch is in no file).</summary>
    public bool Stopped { get; private set; }

    /// <summary>
    /// Splits <paramref name="data"/> for validation, builds <paramref name="recipe"/>'s model for its images and
    /// classes, and uploads the sets, normalised as <paramref name="trainedOn"/> says. With several processes in
    /// <paramref name="group"/>, checks that every rank was started with the same settings and data.
    /// </summary>
    /// <exception cref="UserInputException">
    /// The data does not fit the model, the validation share leaves nothing to train on, or the ranks disagree.
    /// </exception>
    public static TrainingSession Open(Accelerator accelerator, ModelRecipe recipe, TrainingSettings settings, Dataset data, TrainedOn trainedOn,
        double validationFraction, string outputDirectory, IProcessGroup group)
    {
        var split = TrainValidationSplit.Create(data.Train.Count, validationFraction, settings.Seed);
        // Freed in reverse order, by Dispose or when a later part fails.
        var owned = new Stack<IDisposable>();
        T Own<T>(T part) where T : IDisposable
        {
            owned.Push(part);
            return part;
        }
        try
        {
            // The model fits the data: its input is the images' size, its outputs the classes.
            var model = Own(recipe.Create(trainedOn.Input, data.Classes));
            DataFit.Require(model, data.Test, data.TestSource);
            DataFit.Build(model, accelerator, settings.BatchSize, settings.Seed);
            var normalization = trainedOn.Normalization;
            var train = Own(DeviceDataset.From(accelerator, data.Train, normalization, split.Train));
            var validation = split.Validation.Length > 0 ? Own(DeviceDataset.From(accelerator, data.Train, normalization, split.Validation)) : null;
            var test = Own(DeviceDataset.From(accelerator, data.Test, normalization));
            var checkpoints = new RunCheckpoints(outputDirectory, recipe.Name, accelerator, settings, trainedOn, validationFraction, validation is not null,
                group);
            var trainer = Own(new Trainer(model, settings, group));
            trainer.Parallel.RequireSameSettings(Agreed(recipe, settings, data, validationFraction, trainer.Parallel.Distributed));
            return new TrainingSession(model, settings, train, validation, test, trainer, Own(new Evaluator(model, settings.BatchSize)), checkpoints, owned);
        }
        catch
        {
            Free(owned);
            throw;
        }
    }

    /// <summary>
    /// Takes up <paramref name="run"/> where its checkpoint left it: the weights, the optimiser's state and the history
    /// (every rank reads them; <see cref="TrainEpochs"/> then makes them rank 0's everywhere).
    /// </summary>
    public void Restore(RunToResume run)
    {
        ModelCheckpoint.Load(run.File, model);
        trainer.Optimizer.Restore(run.Point.OptimizerSteps, run.File.ReadFloats);
        history.AddRange(run.Point.History);
        Checkpoints.ContinueAfter(history);
    }

    /// <summary>
    /// Trains the epochs after the history up to the settings' last, saving each and telling <paramref name="epochs"/>
    /// of it, until done or until <paramref name="cancel"/> stops it (<see cref="Stopped"/>).
    /// </summary>
    public void TrainEpochs(IProgress<TrainingProgress>? progress, IEpochSink? epochs, CancellationToken cancel)
    {
        // The ranks start as one: rank 0's initial (or restored) weights and optimiser state.
        parallel.Synchronize(model, trainer.Optimizer);
        for (int epoch = history.Count + 1; epoch <= settings.Epochs; epoch++)
        {
            EpochRecord record;
            try
            {
                record = TrainEpoch(epoch, progress, cancel);
            }
            catch (OperationCanceledException)
            {
                Stopped = true;
                return;
            }
            history.Add(record);
            // The reports first: a kill between the two writes leaves them one epoch ahead of the checkpoint, never behind.
            epochs?.EpochCompleted(record, history);
            Checkpoints.Save(model, trainer.Optimizer, record, history);
        }
    }

    /// <summary>
    /// The test set's evaluation of the model the last checkpoint holds (after a stop, the last completed epoch's; stopped
    /// within epoch 1, the partly trained model's, which no file holds), with its confusion matrix.
    /// </summary>
    public (Evaluation Test, ConfusionMatrix Confusion) Test()
    {
        if (Stopped && history.Count > 0)
        {
            // The steps of the interrupted epoch are in no file: report on the checkpoint the run leaves, which is what
            // eval and predict will load, not on weights nobody can get back. Rank 0 wrote it, and reads it for all.
            if (parallel.Rank == 0)
            {
                ModelCheckpoint.Load(Checkpoints.Last, model);
            }
            parallel.BroadcastWeights(model);
        }
        var result = evaluator.Evaluate(test, keepOutputs: true, parallel.Group);
        return (result, ConfusionMatrix.From(test.HostLabels.ToArray(), result.Predictions!, model.Classes));
    }

    /// <summary>Seconds of the epochs completed by <see cref="TrainEpochs"/> (not the restored ones).</summary>
    public double TrainingSeconds { get; private set; }

    /// <summary>Gradient all-reduces so far (0 in one process).</summary>
    public int AllReduces => parallel.AllReduces;

    /// <summary>Time spent in them.</summary>
    public TimeSpan AllReduceTime => parallel.AllReduceTime;

    /// <summary>The model's parameter count.</summary>
    public long Parameters => model.ParameterCount;

    /// <summary>The loss the model trains with.</summary>
    public LossKind Loss => model.Loss;

    /// <inheritdoc />
    public void Dispose() => Free(owned);

    private static void Free(Stack<IDisposable> parts)
    {
        while (parts.TryPop(out var part))
        {
            part.Dispose();
        }
    }

    private EpochRecord TrainEpoch(int epoch, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        var trained = trainer.TrainEpoch(train, epoch, progress, cancel);
        TrainingSeconds += trained.Seconds;
        var checkedOn = validation is null ? null : evaluator.Evaluate(validation, keepOutputs: false, parallel.Group);
        return new EpochRecord(epoch, trained.Loss, trained.Accuracy, checkedOn?.Loss ?? double.NaN, checkedOn?.Accuracy ?? double.NaN,
            settings.Schedule.At(epoch), trained.Seconds, train.Count / trained.Seconds);
    }

    // What every rank must have been started with, in the user's words; the data's contents are compared by digest.
    // Only with several processes: one has nothing to compare, and hashing the data would cost it time.
    private static List<(string Setting, string Value)> Agreed(ModelRecipe recipe, TrainingSettings settings, Dataset data, double validationFraction,
        bool distributed)
    {
        if (!distributed)
        {
            return [];
        }
        var c = CultureInfo.InvariantCulture;
        return
        [
            ("--model", recipe.Name),
            ("--epochs", settings.Epochs.ToString(c)),
            ("--batch", settings.BatchSize.ToString(c)),
            ("--optimizer", settings.Optimizer.ToString()),
            ("--lr", settings.Schedule.Initial.ToString("R", c)),
            ("--schedule", settings.Schedule.Kind.ToString()),
            ("--seed", settings.Seed.ToString(c)),
            ("--shift", settings.MaxShift.ToString(c)),
            ("--rotate", settings.MaxRotation.ToString("R", c)),
            ("--scale", settings.MaxScale.ToString("R", c)),
            ("--elastic-alpha", settings.Elastic.Alpha.ToString("R", c)),
            ("--elastic-sigma", settings.Elastic.Sigma.ToString("R", c)),
            ("--weight-decay", settings.WeightDecay.ToString("R", c)),
            ("--validation", validationFraction.ToString("R", c)),
            ("--dataset", data.Spec),
            ("data set (the images and labels' SHA-256)", Digest(data)),
        ];
    }

    private static string Digest(Dataset data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var set in new[] { data.Train, data.Test })
        {
            hash.AppendData(set.Images);
            hash.AppendData(set.Labels);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
