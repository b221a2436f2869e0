using GpuConvNet.Checkpoints;
using GpuConvNet.Nn;

namespace GpuConvNet.Training;

/// <summary>
/// A run to continue from its last checkpoint, read once and checked before the device or the data are touched: the
/// checkpoint, the model it names, what it was trained on, its resume point, and the settings to go on with (its own,
/// trained to <c>--epochs</c> when given). The run's files stay in the checkpoint's folder.
/// </summary>
public sealed class RunToResume
{
    private RunToResume(string checkpoint, SafeTensorsFile file, ModelRecipe recipe, TrainedOn trainedOn, ResumePoint point, TrainingSettings settings)
    {
        Checkpoint = checkpoint;
        File = file;
        Recipe = recipe;
        TrainedOn = trainedOn;
        Point = point;
        Settings = settings;
    }

    /// <summary>The checkpoint's path, as the user gave it.</summary>
    public string Checkpoint { get; }

    /// <summary>Its contents: the weights and the optimiser's state to restore.</summary>
    public SafeTensorsFile File { get; }

    /// <summary>The model it was saved from.</summary>
    public ModelRecipe Recipe { get; }

    /// <summary>What the model was trained on, which the data given must match.</summary>
    public TrainedOn TrainedOn { get; }

    /// <summary>The run's history, optimiser step count and validation share.</summary>
    public ResumePoint Point { get; }

    /// <summary>The run's settings, with the epochs to train to.</summary>
    public TrainingSettings Settings { get; }

    /// <summary>Epochs the checkpoint holds.</summary>
    public int EpochsDone => Point.History.Count;

    /// <summary>The folder of the checkpoint, where the run goes on writing.</summary>
    public string Directory => Path.GetDirectoryName(Path.GetFullPath(Checkpoint))!;

    /// <summary>
    /// Reads <paramref name="checkpoint"/> and checks that it can go on to <paramref name="totalEpochs"/> (null: the
    /// epochs it was started with).
    /// </summary>
    /// <exception cref="UserInputException">
    /// The file cannot be read, holds no training state (the best checkpoint), names no known model, or already holds
    /// every epoch asked for.
    /// </exception>
    public static RunToResume Open(string checkpoint, int? totalEpochs)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var file = SafeTensors.Read(checkpoint);
        var point = ResumePoint.From(file, checkpoint);
        int epochs = totalEpochs ?? point.Settings.Epochs;
        if (epochs <= point.History.Count)
        {
            throw new UserInputException(totalEpochs is { } asked
                ? $"{checkpoint} already holds {point.History.Count} epochs, so --epochs {asked} leaves nothing to train; pass --epochs {point.History.Count + 1} or more to train further"
                : $"{checkpoint} holds epoch {point.History.Count} of {epochs}: nothing is left to train; pass --epochs to train further");
        }
        // The schedule spans the run's new length (a cosine's rates depend on it).
        var settings = point.Settings with { Epochs = epochs, Schedule = point.Settings.Schedule with { Epochs = epochs } };
        return new RunToResume(checkpoint, file, ModelCheckpoint.RecipeOf(file), TrainedOn.From(file.Metadata, checkpoint), point, settings);
    }
}
