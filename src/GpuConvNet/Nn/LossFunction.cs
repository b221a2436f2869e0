using GpuConvNet.Compute;
using GpuConvNet.Kernels;

namespace GpuConvNet.Nn;

/// <summary>
/// The loss on a model's logits, with its gradient. Each <see cref="Forward"/> adds the batch's summed loss to a device
/// total, so the host reads one scalar per logging interval instead of syncing every batch.
/// </summary>
public sealed class LossFunction : IDisposable
{
    private readonly Accelerator accelerator;
    private readonly LossKind kind;
    private readonly int classes;
    private readonly MemoryBuffer<float> batchLoss;
    private readonly MemoryBuffer<float> gradient;
    private readonly MemoryBuffer<float>? targets;
    private readonly MemoryBuffer<float>? probabilities;

    /// <summary>Buffers for batches of up to <paramref name="maxBatch"/> rows of <paramref name="classes"/> logits.</summary>
    public LossFunction(Accelerator accelerator, LossKind kind, int maxBatch, int classes)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        this.accelerator = accelerator;
        this.kind = kind;
        this.classes = classes;
        batchLoss = accelerator.Allocate<float>(1);
        Total = accelerator.Allocate<float>(1);
        Total.Fill(0f);
        gradient = accelerator.Allocate<float>(maxBatch * classes);
        if (kind == LossKind.SigmoidBinaryCrossEntropy)
        {
            targets = accelerator.Allocate<float>(maxBatch * classes);
            probabilities = accelerator.Allocate<float>(maxBatch * classes);
        }
    }

    /// <summary>Σ over the examples since the last <see cref="ResetTotal"/> of their loss, on the device.</summary>
    public MemoryBuffer<float> Total { get; }

    /// <summary>Starts a new logging interval.</summary>
    public void ResetTotal() => Total.Fill(0f);

    /// <summary>Adds the loss of <paramref name="batch"/> rows of logits against <paramref name="labels"/> to <see cref="Total"/>.</summary>
    public void Forward(ArrayView<float> logits, ClassLabels labels, int batch)
    {
        if (kind == LossKind.SoftmaxCrossEntropy)
        {
            CrossEntropy.Loss(accelerator, logits, labels, batchLoss.View, batch, classes);
        }
        else
        {
            var t = OneHot(labels, batch);
            var p = probabilities!.View.SubView(0, batch * classes);
            Activation.Sigmoid(accelerator, logits, p);
            BinaryCrossEntropy.Loss(accelerator, p, t, batchLoss.View);
        }
        // Both kernels give a mean; weight it by the batch so the total divides by examples, whatever the batch sizes.
        Tensor.AccumulateScalar(accelerator, batchLoss.View, Total.View, batch);
    }

    /// <summary>d loss / d logits for the batch (the mean loss's gradient), in this object's buffer.</summary>
    public ArrayView<float> Backward(ArrayView<float> logits, ClassLabels labels, int batch)
    {
        var d = gradient.View.SubView(0, batch * classes);
        if (kind == LossKind.SoftmaxCrossEntropy)
        {
            CrossEntropy.Backward(accelerator, logits, labels, d, batch, classes);
        }
        else
        {
            BinaryCrossEntropy.BackwardFromLogits(accelerator, logits, targets!.View.SubView(0, batch * classes), d);
        }
        return d;
    }

    private ArrayView<float> OneHot(ClassLabels labels, int batch)
    {
        var t = targets!.View.SubView(0, batch * classes);
        Tensor.OneHot(accelerator, labels.View.SubView(0, batch), t, classes);
        return t;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        batchLoss.Dispose();
        Total.Dispose();
        gradient.Dispose();
        targets?.Dispose();
        probabilities?.Dispose();
    }
}
