using System.Globalization;
using System.Text.Json;
using GpuConvNet.Checkpoints;
using GpuConvNet.Kernels;
using GpuConvNet.Nn;

namespace GpuConvNet.Training;

/// <summary>
/// What a resumable checkpoint holds besides the weights and the optimiser's tensors, in its metadata: the settings of
/// the run, the validation fraction, the optimiser's step count and the history so far. The epoch is the history's
/// length; the random state is the seed, which keys every shuffle, dropout mask and shift by epoch and step.
/// </summary>
public sealed record ResumePoint(TrainingSettings Settings, double ValidationFraction, int OptimizerSteps, IReadOnlyList<EpochRecord> History)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// <paramref name="metadata"/> with the keys that resuming needs added (the optimiser, learning rate, batch size and
    /// seed are there already, under the keys every checkpoint has).
    /// </summary>
    public static Dictionary<string, string> Describe(Dictionary<string, string> metadata, TrainingSettings settings,
        double validationFraction, int optimizerSteps, IReadOnlyList<EpochRecord> history)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(settings);
        var c = CultureInfo.InvariantCulture;
        metadata["resume.epochs"] = settings.Epochs.ToString(c);
        metadata["resume.schedule"] = settings.Schedule.Kind.ToString();
        metadata["resume.shift"] = settings.MaxShift.ToString(c);
        metadata["resume.rotate"] = settings.MaxRotation.ToString("R", c);
        metadata["resume.scale"] = settings.MaxScale.ToString("R", c);
        metadata["resume.elastic_alpha"] = settings.Elastic.Alpha.ToString("R", c);
        metadata["resume.elastic_sigma"] = settings.Elastic.Sigma.ToString("R", c);
        metadata["resume.weight_decay"] = settings.WeightDecay.ToString("R", c);
        metadata["resume.log_every"] = settings.LogEvery.ToString(c);
        metadata["resume.validation"] = validationFraction.ToString("R", c);
        metadata["resume.optimizer_steps"] = optimizerSteps.ToString(c);
        metadata["resume.history"] = JsonSerializer.Serialize(history, Json);
        return metadata;
    }

    /// <summary>The resume point in <paramref name="file"/>; a <see cref="UserInputException"/> naming <paramref name="path"/> if it has none.</summary>
    public static ResumePoint From(SafeTensorsFile file, string path)
    {
        ArgumentNullException.ThrowIfNull(file);
        var m = file.Metadata;
        if (!m.ContainsKey("resume.history"))
        {
            throw new UserInputException($"{path} cannot be resumed: it holds no training state (resume from the run's last checkpoint, <model>.safetensors, not the best one)");
        }
        try
        {
            var c = CultureInfo.InvariantCulture;
            int epochs = int.Parse(m["resume.epochs"], c);
            var settings = new TrainingSettings(epochs, int.Parse(m["batch_size"], c), Enum.Parse<OptimizerKind>(m["optimizer"], ignoreCase: true),
                new LearningRateSchedule(Enum.Parse<ScheduleKind>(m["resume.schedule"]), double.Parse(m["learning_rate"], c), epochs),
                int.Parse(m["seed"], c), int.Parse(m["resume.shift"], c), float.Parse(m["resume.weight_decay"], c),
                int.Parse(m["resume.log_every"], c), Augmentation(m, "resume.rotate"), Augmentation(m, "resume.scale"),
                new ElasticDistortion(Augmentation(m, "resume.elastic_alpha"), Augmentation(m, "resume.elastic_sigma")));
            var history = JsonSerializer.Deserialize<List<EpochRecord>>(m["resume.history"], Json) ?? [];
            return new ResumePoint(settings, double.Parse(m["resume.validation"], c), int.Parse(m["resume.optimizer_steps"], c), history);
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException or JsonException or ArgumentException or OverflowException)
        {
            throw new UserInputException($"{path}: its training state is damaged ({e.Message}); train afresh", e);
        }
    }

    // Checkpoints written before rotations, scales and elastic distortions existed trained without them.
    private static float Augmentation(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var text) ? float.Parse(text, CultureInfo.InvariantCulture) : 0f;
}
