using GpuConvNet.Compute;
using GpuConvNet.Nn;

namespace GpuConvNet.Checkpoints;

/// <summary>Rebuilds the model a checkpoint names, on an accelerator, and loads its weights.</summary>
public static class LoadedModel
{
    /// <summary>
    /// The model of <paramref name="path"/>, built for batches up to <paramref name="maxBatch"/>, with its weights,
    /// its metadata, and what it was trained on (its classes, input and preprocessing).
    /// </summary>
    public static (Model Model, IReadOnlyDictionary<string, string> Metadata) Open(string path, Accelerator accelerator, int maxBatch = 256)
    {
        var (model, metadata, _) = OpenWithData(path, accelerator, maxBatch);
        return (model, metadata);
    }

    /// <summary>As <see cref="Open"/>, with what the checkpoint says about its training data.</summary>
    public static (Model Model, IReadOnlyDictionary<string, string> Metadata, TrainedOn TrainedOn) OpenWithData(string path, Accelerator accelerator, int maxBatch = 256) =>
        OpenWithData(SafeTensors.Read(path), accelerator, maxBatch);

    /// <summary>As <see cref="OpenWithData(string, Accelerator, int)"/>, from a checkpoint already read (e.g. for its metadata first).</summary>
    public static (Model Model, IReadOnlyDictionary<string, string> Metadata, TrainedOn TrainedOn) OpenWithData(SafeTensorsFile file, Accelerator accelerator, int maxBatch = 256)
    {
        ArgumentNullException.ThrowIfNull(file);
        // The metadata names the model to build and its shapes, the tensors then fill it.
        var recipe = ModelCheckpoint.RecipeOf(file);
        var trainedOn = TrainedOn.From(file.Metadata, file.Name);
        var model = recipe.Create(trainedOn.Input, trainedOn.Classes);
        try
        {
            model.Build(accelerator, maxBatch, seed: 0);
            var metadata = ModelCheckpoint.Load(file, model);
            return (model, metadata, trainedOn);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
