using GpuConvNet.Compute;
using GpuConvNet.Nn;

namespace GpuConvNet.Checkpoints;

/// <summary>Rebuilds the model a checkpoint names, on an accelerator, and loads its weights.</summary>
public static class LoadedModel
{
    /// <summary>The model of <paramref name="path"/>, built for batches up to <paramref name="maxBatch"/>, with its weights and metadata.</summary>
    public static (Model Model, IReadOnlyDictionary<string, string> Metadata) Open(string path, Accelerator accelerator, int maxBatch = 256)
    {
        // Read once: the metadata names the model to build, the tensors then fill it.
        var file = SafeTensors.Read(path);
        var recipe = ModelCheckpoint.RecipeOf(file);
        var model = recipe.Create();
        try
        {
            model.Build(accelerator, maxBatch, seed: 0);
            var metadata = ModelCheckpoint.Load(file, model);
            return (model, metadata);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
