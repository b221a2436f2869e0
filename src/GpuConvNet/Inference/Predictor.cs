using GpuConvNet.Kernels;
using GpuConvNet.Nn;
using GpuConvNet.Training;

namespace GpuConvNet.Inference;

/// <summary>A prediction for one image: the most probable class and the probability of every class.</summary>
/// <param name="Class">The most probable class (for MNIST, the digit).</param>
/// <param name="Probabilities">Softmax of the logits (or each logit's sigmoid, for sigmoid-output models).</param>
public sealed record Prediction(int Class, double[] Probabilities);

/// <summary>Runs a built model on images already in its input format (e.g. 28×28 MNIST fields from <see cref="Imaging.InputImage"/>).</summary>
public static class Predictor
{
    /// <summary>
    /// Predictions for <paramref name="images"/> (each the model's input size, e.g. 784 bytes of white digit on black),
    /// in order, normalised as the model's training data was (<paramref name="normalization"/>).
    /// </summary>
    public static IReadOnlyList<Prediction> Predict(Model model, Normalization normalization, IReadOnlyList<byte[]> images)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
        {
            return [];
        }
        var accelerator = model.Accelerator ?? throw new ArgumentException($"model {model.Name} is not built");
        var pixels = images.SelectMany(i => i).ToArray();
        // The labels are unused placeholders: evaluation needs some, and its predictions and logits are what matter.
        using var data = new DeviceDataset(accelerator, pixels, new int[images.Count], model.Input.Height, model.Input.Width, normalization, model.Classes);
        using var evaluator = new Evaluator(model, model.MaxBatch);
        var logits = evaluator.Evaluate(data, keepOutputs: true).Logits!;
        return Enumerable.Range(0, images.Count)
            .Select(i => ToPrediction(logits.AsSpan(i * model.Classes, model.Classes), model.Loss == LossKind.SigmoidBinaryCrossEntropy))
            .ToList();
    }

    private static Prediction ToPrediction(ReadOnlySpan<float> logits, bool sigmoid)
    {
        var probabilities = Probabilities(logits, sigmoid);
        return new Prediction(Array.IndexOf(probabilities, probabilities.Max()), probabilities);
    }

    /// <summary>Class probabilities of one row of logits: softmax, or each logit's sigmoid for sigmoid-output models.</summary>
    public static double[] Probabilities(ReadOnlySpan<float> logits, bool sigmoid)
    {
        var probabilities = new double[logits.Length];
        double max = double.NegativeInfinity;
        foreach (float v in logits)
        {
            max = Math.Max(max, v);
        }
        double sum = 0;
        for (int c = 0; c < logits.Length; c++)
        {
            probabilities[c] = sigmoid ? 1 / (1 + Math.Exp(-logits[c])) : Math.Exp(logits[c] - max);
            sum += probabilities[c];
        }
        if (!sigmoid)
        {
            for (int c = 0; c < probabilities.Length; c++)
            {
                probabilities[c] /= sum;
            }
        }
        return probabilities;
    }
}
