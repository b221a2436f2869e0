using GpuConvNet.Compute;
using GpuConvNet.Nn;

namespace GpuConvNet.Inference;

/// <summary>A prediction of an ensemble: the average of its members' probabilities, and each member's own.</summary>
/// <param name="Combined">The most probable class of the average, and the average itself.</param>
/// <param name="Members">Each member's prediction, in the ensemble's order.</param>
public sealed record EnsemblePrediction(Prediction Combined, IReadOnlyList<Prediction> Members);

/// <summary>An ensemble's members built on one accelerator: its predictions average their probabilities.</summary>
public sealed class LoadedEnsemble : IDisposable
{
    private LoadedEnsemble(Ensemble ensemble, IReadOnlyList<Model> models)
    {
        Ensemble = ensemble;
        Models = models;
    }

    /// <summary>The files the members came from.</summary>
    public Ensemble Ensemble { get; }

    /// <summary>The members' models, in the ensemble's order.</summary>
    public IReadOnlyList<Model> Models { get; }

    /// <summary>True when the members' outputs are independent sigmoids rather than a softmax.</summary>
    public bool SigmoidOutputs => Models[0].Loss == LossKind.SigmoidBinaryCrossEntropy;

    /// <summary>The largest batch every member takes.</summary>
    public int MaxBatch => Models.Min(m => m.MaxBatch);

    internal static LoadedEnsemble Build(Ensemble ensemble, Accelerator accelerator, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        var models = new List<Model>();
        try
        {
            foreach (var member in ensemble.Members)
            {
                models.Add(member.File.Build(accelerator, maxBatch));
            }
            // Softmax outputs sum to one, sigmoid outputs each lie in [0, 1] on their own: averaging one with the other means nothing.
            int other = models.FindIndex(m => m.Loss == LossKind.SigmoidBinaryCrossEntropy != (models[0].Loss == LossKind.SigmoidBinaryCrossEntropy));
            if (other > 0)
            {
                throw new UserInputException(
                    $"{ensemble.Members[other].Path} cannot join an ensemble with {ensemble.Members[0].Path}: its {models[other].Name} {Outputs(models[other])} where the {models[0].Name} {Outputs(models[0])}; the members of an ensemble must give the same kind of probabilities");
            }
            return new LoadedEnsemble(ensemble, models);
        }
        catch
        {
            models.ForEach(m => m.Dispose());
            throw;
        }
    }

    /// <summary>
    /// Predictions for <paramref name="images"/> (each the members' input size, e.g. 784 bytes of white digit on black),
    /// in order: every member predicts each image from its own normalisation of it, and their probabilities are averaged.
    /// </summary>
    public IReadOnlyList<EnsemblePrediction> Predict(IReadOnlyList<byte[]> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var byMember = Models.Select((model, i) => Predictor.Predict(model, Ensemble.Members[i].File.TrainedOn.Normalization, images)).ToList();
        return [.. Enumerable.Range(0, images.Count).Select(n =>
        {
            var members = byMember.Select(predictions => predictions[n]).ToList();
            var mean = Average(members.Select(p => p.Probabilities).ToList());
            return new EnsemblePrediction(new Prediction(Argmax(mean), mean), members);
        })];
    }

    /// <summary>The element-wise mean of <paramref name="probabilities"/> (one row per member, all as long).</summary>
    public static double[] Average(IReadOnlyList<double[]> probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        var mean = new double[probabilities[0].Length];
        foreach (var row in probabilities)
        {
            for (int c = 0; c < mean.Length; c++)
            {
                mean[c] += row[c];
            }
        }
        for (int c = 0; c < mean.Length; c++)
        {
            mean[c] /= probabilities.Count;
        }
        return mean;
    }

    /// <summary>The first index of the largest value.</summary>
    public static int Argmax(ReadOnlySpan<double> values)
    {
        int best = 0;
        for (int c = 1; c < values.Length; c++)
        {
            if (values[c] > values[best])
            {
                best = c;
            }
        }
        return best;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var model in Models)
        {
            model.Dispose();
        }
    }

    private static string Outputs(Model model) => model.Loss == LossKind.SigmoidBinaryCrossEntropy ? "gives a sigmoid per class" : "gives a softmax over the classes";
}
