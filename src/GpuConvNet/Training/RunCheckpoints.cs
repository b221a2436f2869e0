using System.Globalization;
using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Distributed;
using GpuConvNet.Nn;

namespace GpuConvNet.Training;

/// <summary>
/// A run's checkpoint policy: after every epoch the last checkpoint (<c>&lt;model&gt;.safetensors</c>, resumable: the
/// optimiser's state and the resume point beside the weights) and, when the monitored accuracy improved, the best one
/// (<c>&lt;model&gt;.best.safetensors</c>), each written atomically. The monitored accuracy is the validation set's, or
/// the training set's without one, as Keras' and Lightning's "best". With several processes only rank 0 writes (every
/// rank holds the same model), and the metadata records how many trained.
/// </summary>
internal sealed class RunCheckpoints
{
    private readonly Accelerator accelerator;
    private readonly TrainingSettings settings;
    private readonly TrainedOn trainedOn;
    private readonly double validationFraction;
    private readonly bool validated;
    private readonly IProcessGroup group;
    private double bestAccuracy = double.NegativeInfinity;

    /// <summary>The checkpoints of a model called <paramref name="modelName"/> in <paramref name="directory"/>.</summary>
    public RunCheckpoints(string directory, string modelName, Accelerator accelerator, TrainingSettings settings, TrainedOn trainedOn,
        double validationFraction, bool validated, IProcessGroup group)
    {
        Last = Path.Combine(directory, modelName + ".safetensors");
        Best = Path.Combine(directory, modelName + ".best.safetensors");
        this.accelerator = accelerator;
        this.settings = settings;
        this.trainedOn = trainedOn;
        this.validationFraction = validationFraction;
        this.validated = validated;
        this.group = group;
    }

    /// <summary>The last checkpoint's path.</summary>
    public string Last { get; }

    /// <summary>The best checkpoint's path.</summary>
    public string Best { get; }

    /// <summary>Continues after <paramref name="history"/>: the best so far is the best of its epochs.</summary>
    public void ContinueAfter(IReadOnlyList<EpochRecord> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        bestAccuracy = history.Count == 0 ? double.NegativeInfinity : history.Max(Monitored);
    }

    /// <summary>Saves the last checkpoint of <paramref name="record"/>'s epoch, and the best one if it is the best so far.</summary>
    public void Save(Model model, ParameterOptimizer optimizer, EpochRecord record, IReadOnlyList<EpochRecord> history)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (group.Rank != 0)
        {
            return;
        }
        var state = optimizer.StateTensors().Select(t => new CheckpointTensor(t.Name, t.Shape, t.Buffer.ToArray()));
        ModelCheckpoint.Save(Last, model, ResumePoint.Describe(Metadata(record, "last"), settings, validationFraction, optimizer.Steps, history), state);
        double accuracy = Monitored(record);
        if (accuracy > bestAccuracy)
        {
            bestAccuracy = accuracy;
            ModelCheckpoint.Save(Best, model, Metadata(record,
                $"best ({(validated ? "validation" : "training")} accuracy {accuracy.ToString("P2", CultureInfo.InvariantCulture)})"));
        }
    }

    private double Monitored(EpochRecord record) => validated ? record.ValidationAccuracy : record.TrainAccuracy;

    private Dictionary<string, string> Metadata(EpochRecord record, string kind) => new(trainedOn.ToMetadata())
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
        ["world_size"] = group.Size.ToString(CultureInfo.InvariantCulture),
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    };
}
