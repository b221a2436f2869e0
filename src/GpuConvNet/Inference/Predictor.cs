using GpuConvNet.Kernels;
using GpuConvNet.Nn;

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
        int pixels = model.Input.Size;
        using var inputs = accelerator.Allocate(Normalize(images, pixels, normalization));
        var logits = InferencePass.Run(model, images.Count, model.MaxBatch, (start, size) => inputs.View.SubView(start * pixels, size * pixels),
            sawBatch: null, keepLogits: true)!;
        return Enumerable.Range(0, images.Count)
            .Select(i => ToPrediction(logits.AsSpan(i * model.Classes, model.Classes), model.Loss == LossKind.SigmoidBinaryCrossEntropy))
            .ToList();
    }

    // The gather kernel's arithmetic in the same float operations: on a device that divides exactly (the CPU engines,
    // CUDA) an image predicted here is, bit for bit, the input that evaluating it gives the model.
    private static float[] Normalize(IReadOnlyList<byte[]> images, int pixels, Normalization normalization)
    {
        var inputs = new float[images.Count * pixels];
        for (int i = 0; i < images.Count; i++)
        {
            if (images[i].Length != pixels)
            {
                throw new ArgumentException($"image {i} has {images[i].Length} pixels, but the model takes {pixels}", nameof(images));
            }
            for (int p = 0; p < pixels; p++)
            {
                inputs[i * pixels + p] = ((float)images[i][p] / 255f - normalization.Mean) / normalization.Std;
            }
        }
        return inputs;
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
