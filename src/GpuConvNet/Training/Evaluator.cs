using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;

namespace GpuConvNet.Training;

/// <summary>Runs a model in inference mode over a dataset: loss, accuracy, and optionally every prediction and logit.</summary>
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
        using var logitsCopy = keepOutputs ? accelerator.Allocate<float>(data.Count * model.Classes) : null;
        loss.ResetTotal();
        correct.Fill(0);
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int size = Math.Min(batchSize, data.Count - start);
            var (images, labels) = batches.Gather(data, data.Sequential.View, start, size, null);
            var logits = model.Forward(images, size, StepContext.Inference);
            loss.Forward(logits, labels, size);
            Accuracy.ArgmaxAndCount(accelerator, logits, labels.View, predictions.View.SubView(start, size), correct.View, size, model.Classes);
            if (logitsCopy is not null)
            {
                // The logits live in the last layer's buffer only until the next forward: copy them on the device.
                Tensor.Copy(accelerator, logits.SubView(0, size * model.Classes), logitsCopy.View.SubView(start * model.Classes, size * model.Classes));
            }
        }
        double meanLoss = loss.Total.ToArray()[0] / (double)data.Count;
        double accuracy = correct.ToArray()[0] / (double)data.Count;
        return new Evaluation(meanLoss, accuracy, keepOutputs ? predictions.ToArray() : null, logitsCopy?.ToArray());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        batches.Dispose();
        loss.Dispose();
        correct.Dispose();
    }
}
