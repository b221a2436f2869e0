using System.Diagnostics;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;

namespace GpuConvNet.Training;

/// <summary>
/// Trains a built model on device-resident data. Per step everything stays on the device: the epoch's order is a
/// device permutation, the batch is gathered and normalised there, and loss and correct counts accumulate there; the
/// host reads two scalars per logging interval.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly Accelerator accelerator;
    private readonly Model model;
    private readonly TrainingSettings settings;
    private readonly BatchSource batches;
    private readonly LossFunction loss;
    private readonly ParameterOptimizer optimizer;
    private readonly MemoryBuffer<int> predictions;
    private readonly MemoryBuffer<int> correct;
    private MemoryBuffer<int>? order;

    /// <summary>A trainer for <paramref name="model"/>, which must be built with MaxBatch ≥ the batch size.</summary>
    public Trainer(Model model, TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        accelerator = model.Accelerator ?? throw new ArgumentException($"model {model.Name} is not built");
        this.model = model;
        this.settings = settings;
        batches = new BatchSource(model, settings.BatchSize);
        loss = new LossFunction(accelerator, model.Loss, settings.BatchSize, model.Classes);
        optimizer = new ParameterOptimizer(accelerator, model.Parameters, settings.Optimizer, settings.WeightDecay);
        predictions = accelerator.Allocate<int>(settings.BatchSize);
        correct = accelerator.Allocate<int>(1);
    }

    /// <summary>Steps taken so far.</summary>
    public int Steps => optimizer.Steps;

    /// <summary>The optimiser, whose state a resumable checkpoint saves and a resumed run restores.</summary>
    public ParameterOptimizer Optimizer => optimizer;

    /// <summary>One pass over <paramref name="data"/> in a fresh order; returns the epoch's mean loss, accuracy and seconds.</summary>
    public (double Loss, double Accuracy, double Seconds) TrainEpoch(DeviceDataset data, int epoch, IProgress<TrainingProgress>? progress,
        CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (order is null || order.Length != data.Count)
        {
            order?.Dispose();
            order = accelerator.Allocate<int>(data.Count);
        }
        Shuffle.Permutation(accelerator, order.View, settings.Seed, epoch);
        float learningRate = (float)settings.Schedule.At(epoch);
        int count = (data.Count + settings.BatchSize - 1) / settings.BatchSize;
        loss.ResetTotal();
        correct.Fill(0);
        var clock = Stopwatch.StartNew();
        (double Loss, double Accuracy) running = (double.NaN, double.NaN);
        for (int b = 0; b < count; b++)
        {
            cancel.ThrowIfCancellationRequested();
            int start = b * settings.BatchSize;
            int size = Math.Min(settings.BatchSize, data.Count - start);
            learningRate = (float)settings.Schedule.At(epoch, (b + 0.5) / count);
            Step(data, order.View, start, size, (epoch - 1) * count + b, learningRate);
            if ((b + 1) % settings.LogEvery == 0 || b == count - 1)
            {
                // The only host reads of an interval: two scalars.
                int seen = start + size;
                running = (loss.Total.ToArray()[0] / (double)seen, correct.ToArray()[0] / (double)seen);
                if (!double.IsFinite(running.Loss))
                {
                    // Every later step would train on NaN: stop before the epoch ends, so no checkpoint is written over.
                    throw new TrainingDivergedException(epoch, b + 1, count, running.Loss, learningRate);
                }
                progress?.Report(new TrainingProgress(epoch, b + 1, count, running.Loss, running.Accuracy, seen / clock.Elapsed.TotalSeconds));
            }
        }
        return (running.Loss, running.Accuracy, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// One training step on examples order[start … start + size) of <paramref name="data"/>: gather, forward, loss
    /// (added to the interval's total), correct count, backward, optimiser. <paramref name="step"/> seeds dropout and
    /// augmentation. Only launches: nothing is read back.
    /// </summary>
    public void Step(DeviceDataset data, ArrayView<int> order, int start, int size, int step, float learningRate)
    {
        var (images, labels) = batches.Gather(data, order, start, size,
            settings.MaxShift > 0 ? new RandomShift(settings.MaxShift, settings.Seed, step) : null);
        var logits = model.Forward(images, size, new StepContext(true, settings.Seed, step));
        loss.Forward(logits, labels, size);
        Accuracy.ArgmaxAndCount(accelerator, logits, labels.View, predictions.View.SubView(0, size), correct.View, size, model.Classes);
        model.Backward(loss.Backward(logits, labels, size), size);
        optimizer.Step(learningRate);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        batches.Dispose();
        loss.Dispose();
        optimizer.Dispose();
        predictions.Dispose();
        correct.Dispose();
        order?.Dispose();
    }
}
