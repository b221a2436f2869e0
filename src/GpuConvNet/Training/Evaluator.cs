using GpuConvNet.Compute;
using GpuConvNet.Distributed;
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
    public Evaluation Evaluate(DeviceDataset data, bool keepOutputs) => Evaluate(data, keepOutputs, SingleProcess.Instance);

    /// <summary>
    /// <see cref="Evaluate(DeviceDataset, bool)"/> shared by the ranks of <paramref name="group"/>: each evaluates a
    /// contiguous share of the examples, and the loss totals, correct counts and outputs are summed over the ranks, so
    /// every rank gets what one process evaluating all the examples gets (the loss up to the order of its float sums).
    /// </summary>
    public Evaluation Evaluate(DeviceDataset data, bool keepOutputs, IProcessGroup group)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(group);
        var (first, count) = DataParallel.ShardOf(group, 0, data.Count);
        using var predictions = accelerator.Allocate<int>(Math.Max(count, 1));
        loss.ResetTotal();
        correct.Fill(0);
        // The labels of the batch whose images the pass asked for last, gathered with them.
        ClassLabels labels = null!;
        var logits = count == 0 ? [] : InferencePass.Run(model, count, batchSize, (start, size) =>
        {
            (var images, labels) = batches.Gather(data, data.Sequential.View, first + start, size, null);
            return images;
        }, (batchLogits, start, size) =>
        {
            loss.Forward(batchLogits, labels, size);
            Accuracy.ArgmaxAndCount(accelerator, batchLogits, labels.View, predictions.View.SubView(start, size), correct.View, size, model.Classes);
        }, keepOutputs);
        Span<double> totals = [count == 0 ? 0 : loss.Total.ToArray()[0], count == 0 ? 0 : correct.ToArray()[0]];
        if (group.Size == 1)
        {
            return new Evaluation(totals[0] / data.Count, totals[1] / data.Count, keepOutputs ? predictions.ToArray() : null, logits);
        }
        group.Sum(totals);
        if (!keepOutputs)
        {
            return new Evaluation(totals[0] / data.Count, totals[1] / data.Count, null, null);
        }
        // Each rank's outputs in its place among zeros: the sum over the ranks is every example's, exactly.
        var allPredictions = new int[data.Count];
        var allLogits = new float[data.Count * model.Classes];
        if (count > 0)
        {
            predictions.CopyToHost(allPredictions.AsSpan(first, count));
            logits!.CopyTo(allLogits, first * model.Classes);
        }
        group.Sum(allPredictions);
        group.Sum(allLogits);
        return new Evaluation(totals[0] / data.Count, totals[1] / data.Count, allPredictions, allLogits);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        batches.Dispose();
        loss.Dispose();
        correct.Dispose();
    }
}
