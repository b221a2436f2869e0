using System.Diagnostics;
using GpuConvNet.Compute;
using GpuConvNet.Distributed;
using GpuConvNet.Kernels;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;

namespace GpuConvNet.Training;

/// <summary>
/// Trains a built model on device-resident data. Per step everything stays on the device: the epoch's order is a
/// device permutation, the batch is gathered and normalised there, and loss and correct counts accumulate there; the
/// host reads two scalars per logging interval. With several processes (<see cref="IProcessGroup"/>) each trains on
/// its shard of every global batch and the gradients are averaged before the optimiser's step (<see cref="DataParallel"/>).
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
    private readonly DataParallel parallel;
    private readonly IReadOnlyList<Parameter> parameters;
    private MemoryBuffer<int>? order;

    /// <summary>A trainer for <paramref name="model"/>, which must be built with MaxBatch ≥ the batch size.</summary>
    public Trainer(Model model, TrainingSettings settings) : this(model, settings, SingleProcess.Instance)
    {
    }

    /// <summary>
    /// A trainer for <paramref name="model"/> on one rank of <paramref name="group"/>: the batch size is per rank, so a
    /// step takes batch × ranks examples.
    /// </summary>
    public Trainer(Model model, TrainingSettings settings, IProcessGroup group)
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
        parallel = new DataParallel(group);
        parameters = [.. model.Parameters];
    }

    /// <summary>Steps taken so far.</summary>
    public int Steps => optimizer.Steps;

    /// <summary>The optimiser, whose state a resumable checkpoint saves and a resumed run restores.</summary>
    public ParameterOptimizer Optimizer => optimizer;

    /// <summary>The ranks training together (one: this process alone).</summary>
    internal DataParallel Parallel => parallel;

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
        int globalBatch = settings.BatchSize * parallel.Size;
        int count = (data.Count + globalBatch - 1) / globalBatch;
        loss.ResetTotal();
        correct.Fill(0);
        var clock = Stopwatch.StartNew();
        (double Loss, double Accuracy) running = (double.NaN, double.NaN);
        bool stopAgreed = false;
        for (int b = 0; b < count; b++)
        {
            // Several ranks stop only after a step at which they agreed to (each sees its own Ctrl+C at its own time).
            if (parallel.Distributed ? stopAgreed : cancel.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancel);
            }
            int start = b * globalBatch;
            int size = Math.Min(globalBatch, data.Count - start);
            learningRate = (float)settings.Schedule.At(epoch, (b + 0.5) / count);
            int step = (epoch - 1) * count + b;
            if (parallel.Distributed)
            {
                var shard = parallel.Shard(start, size);
                if (shard.Size > 0)
                {
                    ComputeGradients(data, order.View, shard.Start, shard.Size, parallel.RandomKey(step));
                }
                stopAgreed = parallel.AverageGradients(parameters, shard.Size, size, cancel.IsCancellationRequested);
                optimizer.Step(learningRate);
            }
            else
            {
                Step(data, order.View, start, size, step, learningRate);
            }
            if ((b + 1) % settings.LogEvery == 0 || b == count - 1)
            {
                // The only host reads of an interval: two scalars (summed over the ranks).
                int seen = start + size;
                Span<double> totals = [loss.Total.ToArray()[0], correct.ToArray()[0]];
                parallel.Sum(totals);
                running = (totals[0] / seen, totals[1] / seen);
                if (!double.IsFinite(running.Loss))
                {
                    // Every later step would train on NaN: stop before the epoch ends, so no checkpoint is written over.
                    // Every rank sees the same sum, so all stop here.
                    throw new TrainingDivergedException(epoch, b + 1, count, running.Loss, learningRate);
                }
                progress?.Report(new TrainingProgress(epoch, b + 1, count, running.Loss, running.Accuracy, seen / clock.Elapsed.TotalSeconds));
            }
        }
        // Each rank's batch norms gathered statistics of its own shards: the model leaves the epoch the same on every rank.
        parallel.AverageRunningStatistics(model);
        return (running.Loss, running.Accuracy, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// One training step on examples order[start … start + size) of <paramref name="data"/>: gather, forward, loss
    /// (added to the interval's total), correct count, backward, optimiser. <paramref name="step"/> seeds dropout and
    /// augmentation. Only launches: nothing is read back.
    /// </summary>
    public void Step(DeviceDataset data, ArrayView<int> order, int start, int size, int step, float learningRate)
    {
        ComputeGradients(data, order, start, size, step);
        optimizer.Step(learningRate);
    }

    // Gather, forward, loss, correct count, backward: every parameter's gradient is this batch's mean gradient.
    private void ComputeGradients(DeviceDataset data, ArrayView<int> order, int start, int size, int randomKey)
    {
        var (images, labels) = settings.Resamples
            ? batches.Gather(data, order, start, size, new RandomAffine(settings.MaxRotation, settings.MaxScale, settings.MaxShift, settings.Seed, randomKey),
                settings.Elastic)
            : batches.Gather(data, order, start, size, settings.MaxShift > 0 ? new RandomShift(settings.MaxShift, settings.Seed, randomKey) : null);
        var logits = model.Forward(images, size, new StepContext(true, settings.Seed, randomKey));
        loss.Forward(logits, labels, size);
        Accuracy.ArgmaxAndCount(accelerator, logits, labels.View, predictions.View.SubView(0, size), correct.View, size, model.Classes);
        model.Backward(loss.Backward(logits, labels, size), size);
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
