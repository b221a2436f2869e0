using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Nn.Layers;

namespace GpuConvNet.Nn;

/// <summary>
/// A built model's inference forward over samples on the device, in order, a batch at a time: the one loop that
/// evaluation (loss and accuracy against labels) and prediction (no labels) share.
/// </summary>
public static class InferencePass
{
    /// <summary>
    /// Runs <paramref name="model"/> over <paramref name="count"/> samples in batches of up to <paramref name="batchSize"/>:
    /// <paramref name="input"/>(start, size) gives the batch's normalised samples on the device, and
    /// <paramref name="sawBatch"/>(logits, start, size) reads its logits before the next batch overwrites them. With
    /// <paramref name="keepLogits"/>, returns every sample's logits (count × classes), read back once at the end; else null.
    /// </summary>
    public static float[]? Run(Model model, int count, int batchSize, Func<int, int, ArrayView<float>> input,
        Action<ArrayView<float>, int, int>? sawBatch, bool keepLogits)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var accelerator = model.Accelerator ?? throw new ArgumentException($"model {model.Name} is not built");
        int classes = model.Classes;
        using var kept = keepLogits ? accelerator.Allocate<float>(count * classes) : null;
        for (int start = 0; start < count; start += batchSize)
        {
            int size = Math.Min(batchSize, count - start);
            var logits = model.Forward(input(start, size), size, StepContext.Inference);
            sawBatch?.Invoke(logits, start, size);
            if (kept is not null)
            {
                // The logits live in the last layer's buffer only until the next forward: copy them on the device.
                Tensor.Copy(accelerator, logits.SubView(0, size * classes), kept.View.SubView(start * classes, size * classes));
            }
        }
        return kept?.ToArray();
    }
}
