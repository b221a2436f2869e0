using System.Globalization;
using GpuConvNet.Nn;

namespace GpuConvNet.Checkpoints;

/// <summary>
/// A model's parameters as a <c>.safetensors</c> file (PyTorch's names and layouts: <c>conv1.weight</c> (K, C, R, S),
/// <c>fc1.weight</c> (out, in)), with metadata naming the model, so that <c>eval</c>, <c>predict</c> and <c>info</c>
/// can rebuild it and other tools can read it.
/// </summary>
public static class ModelCheckpoint
{
    /// <summary>Metadata key of the model's name.</summary>
    public const string ModelKey = "model";

    /// <summary>The names of the optimiser's tensors in a resumable checkpoint start with this.</summary>
    public const string OptimizerStatePrefix = "optimizer.";

    /// <summary>Copies the parameters to the host and saves them atomically, with <paramref name="metadata"/> added to the model's name.</summary>
    public static void Save(string path, Model model, IReadOnlyDictionary<string, string> metadata,
        IEnumerable<CheckpointTensor>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(metadata);
        var tensors = model.Parameters.Select(p => new CheckpointTensor(p.Name, p.Shape, p.Value.ToArray()))
            .Concat(model.States.Select(s => new CheckpointTensor(s.Name, s.Shape, s.Value.ToArray())))
            .Concat(model.Counters.Select(c => CheckpointTensor.Int64Scalar(c.Name, c.Value)))
            .Concat(extra ?? []).ToList();
        var all = new Dictionary<string, string>(metadata)
        {
            [ModelKey] = model.Name,
            ["parameters"] = model.ParameterCount.ToString(CultureInfo.InvariantCulture),
            ["format"] = "gpuconvnet 1",
            [TrainedOn.InputKey] = string.Create(CultureInfo.InvariantCulture, $"{model.Input.Channels}x{model.Input.Height}x{model.Input.Width}"),
        };
        // Without names from the training data, classes are called by their numbers.
        all.TryAdd(TrainedOn.ClassesKey, System.Text.Json.JsonSerializer.Serialize(Enumerable.Range(0, model.Classes).Select(c => c.ToString(CultureInfo.InvariantCulture))));
        SafeTensors.Save(path, new Checkpoint(tensors, all));
    }

    /// <summary>The model named in the checkpoint's metadata (a <see cref="UserInputException"/> if it names none or an unknown one).</summary>
    public static ModelRecipe RecipeOf(string path) => RecipeOf(SafeTensors.Read(path));

    /// <summary>The model named in an already-read checkpoint's metadata.</summary>
    public static ModelRecipe RecipeOf(SafeTensorsFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        string path = file.Name;
        if (!file.Metadata.TryGetValue(ModelKey, out var name))
        {
            throw new UserInputException($"{path} has no '{ModelKey}' in its metadata, so the model to rebuild is unknown; it was not written by gpuconvnet train");
        }
        try
        {
            return ModelZoo.Get(name);
        }
        catch (ArgumentException e)
        {
            throw new UserInputException($"{path} was saved from model '{name}': {e.Message}", e);
        }
    }

    /// <summary>Loads the checkpoint into a built <paramref name="model"/>, checking every name, shape and dtype; returns its metadata.</summary>
    public static IReadOnlyDictionary<string, string> Load(string path, Model model) => Load(SafeTensors.Read(path), model);

    /// <summary>Loads an already-read checkpoint into a built <paramref name="model"/>, checking names, shapes and dtypes.</summary>
    public static IReadOnlyDictionary<string, string> Load(SafeTensorsFile file, Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tensors = model.Parameters.Select(p => (p.Name, p.Shape, Buffer: p.Value)).Concat(model.States.Select(s => (s.Name, s.Shape, Buffer: s.Value))).ToList();
        var counters = model.Counters.ToList();
        var counterNames = counters.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        // A resumable checkpoint also holds the optimiser's state (optimizer.*), which the model does not load; the
        // layers' counters are I64 and read on their own.
        var checkpoint = SafeTensors.Load(file, tensors.Select(t => new TensorSpec(t.Name, t.Shape)).ToList(),
            name => name.StartsWith(OptimizerStatePrefix, StringComparison.Ordinal) || counterNames.Contains(name));
        foreach (var (name, _, buffer) in tensors)
        {
            var data = checkpoint[name].Data;
            // A NaN or infinite weight makes every prediction meaningless: say so instead of reporting 9.8 % accuracy.
            int bad = data.AsSpan().IndexOfAnyExceptInRange(float.MinValue, float.MaxValue);
            if (bad >= 0)
            {
                throw new UserInputException(
                    $"checkpoint {file.Name}: {name}[{bad}] is {data[bad]}; a model with non-finite weights cannot predict (it was saved from a run that diverged): use an earlier checkpoint or train again");
            }
            buffer.CopyFromHost(data);
        }
        foreach (var counter in counters)
        {
            // Optional, as for PyTorch's load_state_dict of files from before it counted batches: absent means none seen.
            counter.Value = file.ReadInt64Scalar(counter.Name) ?? 0;
        }
        return checkpoint.Metadata;
    }
}
