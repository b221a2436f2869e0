using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Nn;

namespace GpuConvNet.Training;

/// <summary>Loss, accuracy, and optionally the logits of every example, of a pass over a dataset.</summary>
/// <param name="Loss">Mean loss.</param>
/// <param name="Accuracy">Fraction classified correctly.</param>
/// <param name="Predictions">Predicted class per example (when asked for).</param>
/// <param name="Logits">Logits (count × classes, when asked for).</param>
public sealed record Evaluation(double Loss, double Accuracy, int[]? Predictions, float[]? Logits);

/// <summary>Runs a model in inference mode over a labelled dataset: loss, accuracy, and optionally every prediction and logit.</summary>
public sealed class Evaluator : IDisposable
{
    private readonly Accelerator accelerator;
    private readonly Model model;
    private readonly int batchSize;
    private readonly BatchSource batches;
    private readonly LossFunction loss;
    private readonly MemoryBuffer<int> correct;

    /// <summary>An evaluator of <paramref name="model"/> in batches of up to <paramref name="batchSize"/>.</summary>
    public Evaluator(Model model, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        accelerator = model.Accelerator ?? throw new ArgumentException($"model {model.Name} is not built");
        this.model = model;
        this.batchSize = Math.Min(batchSize, model.MaxBatch);
        batches = new BatchSource(model, this.batchSize);
        loss = new LossFunction(accelerator, model.Loss, this.batchSize, model.Classes);
        correct = accelerator.Allocate<int>(1);
    }

    /// <summary>
    /// Loss and accuracy on every example of <paramref name="data"/>; with <paramref name="keepOutputs"/>, also each
    /// example's prediction and logits (read once, at the end).
    /// </summary>
    public Evaluation Evaluate(DeviceDataset data, bool keepOutputs)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var predictions = accelerator.Allocate<int>(data.Count);
        loss.ResetTotal();
        correct.Fill(0);
        // The labels of the batch whose images the pass asked for last, gathered with them.
        ClassLabels labels = null!;
        var logits = InferencePass.Run(model, data.Count, batchSize, (start, size) =>
        {
            (var images, labels) = batches.Gather(data, data.Sequential.View, start, size, null);
            return images;
        }, (batchLogits, start, size) =>
        {
            loss.Forward(batchLogits, labels, size);
            Accuracy.ArgmaxAndCount(accelerator, batchLogits, labels.View, predictions.View.SubView(start, size), correct.View, size, model.Classes);
        }, keepOutputs);
        double meanLoss = loss.Total.ToArray()[0] / (double)data.Count;
        double accuracy = correct.ToArray()[0] / (double)data.Count;
        return new Evaluation(meanLoss, accuracy, keepOutputs ? predictions.ToArray() : null, logits);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        batches.Dispose();
        loss.Dispose();
        correct.Dispose();
    }
}
