using System.Globalization;
using System.Threading.Channels;
using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Inference;
using GpuConvNet.Nn;

namespace GpuConvNet.Web;

/// <summary>
/// A model loaded once on one accelerator, answering predictions for many concurrent requests. Requests queue; one
/// worker takes whatever has queued (up to the model's batch size) and runs it as one batch, so the accelerator is
/// used by one thread at a time and concurrent clients share launches. A batch gives each image the same answer as
/// predicting it alone (the model's layers treat images independently; tested).
/// </summary>
public sealed class DigitService : IDisposable
{
    private readonly Model model;
    private readonly Accelerator accelerator;
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task worker;

    private DigitService(Model model, Accelerator accelerator, ModelDescription description, TrainedOn trainedOn)
    {
        this.model = model;
        this.accelerator = accelerator;
        Description = description;
        TrainedOn = trainedOn;
        worker = Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>What is being served.</summary>
    public ModelDescription Description { get; }

    /// <summary>What the model learnt from: its classes, input size and how pictures become inputs.</summary>
    public TrainedOn TrainedOn { get; }

    /// <summary>Predictions served so far, and the batches they took.</summary>
    public (long Images, long Batches) Served => (Interlocked.Read(ref images), Interlocked.Read(ref batches));

    private long images;
    private long batches;

    /// <summary>Opens <paramref name="checkpoint"/> on <paramref name="accelerator"/>, which the service then owns.</summary>
    /// <exception cref="UserInputException">The checkpoint is missing or not one of ours.</exception>
    public static DigitService Open(string checkpoint, Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        var file = ModelFile.Read(checkpoint);
        var (model, metadata, trainedOn) = (file.Build(accelerator), file.Metadata, file.TrainedOn);
        int? epoch = int.TryParse(metadata.GetValueOrDefault("epoch"), CultureInfo.InvariantCulture, out int e) ? e : null;
        double? accuracy = double.TryParse(metadata.GetValueOrDefault("validation_accuracy"), NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
            && double.IsFinite(a) ? a : null;
        var description = new ModelDescription(model.Name, trainedOn.ClassNames, trainedOn.Input.Width, trainedOn.Input.Height,
            model.ParameterCount, epoch, accuracy, accelerator.Device.Id, accelerator.Device.Name, Path.GetFileName(checkpoint), trainedOn.Dataset);
        // One blank prediction before serving: the device compiles the model's kernels (and, on a CPU, races their
        // variants) now, not while the first visitor waits for an answer.
        Predictor.Predict(model, trainedOn.Normalization, [new byte[trainedOn.Input.Width * trainedOn.Input.Height]]);
        return new DigitService(model, accelerator, description, trainedOn);
    }

    /// <summary>The prediction for one input (e.g. a 28×28 field, 784 bytes, MNIST's format), batched with whatever else is waiting.</summary>
    public Task<Prediction> PredictAsync(byte[] field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.Length != model.Input.Height * model.Input.Width)
        {
            throw new ArgumentException($"a field has {model.Input.Height * model.Input.Width} pixels, not {field.Length}", nameof(field));
        }
        var pending = new Pending(field, new TaskCompletionSource<Prediction>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(DigitService), "the server is shutting down");
        }
        return pending.Result.Task;
    }

    /// <summary>Stops taking requests, finishes those queued, and frees the model and the accelerator.</summary>
    public void Dispose()
    {
        queue.Writer.TryComplete();
        worker.Wait();
        model.Dispose();
        accelerator.Dispose();
    }

    private async Task Work()
    {
        var batch = new List<Pending>(model.MaxBatch);
        while (await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < model.MaxBatch && queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }
            try
            {
                var predictions = Predictor.Predict(model, TrainedOn.Normalization, [.. batch.Select(p => p.Field)]);
                Interlocked.Add(ref images, batch.Count);
                Interlocked.Increment(ref batches);
                for (int i = 0; i < batch.Count; i++)
                {
                    batch[i].Result.SetResult(predictions[i]);
                }
            }
            catch (Exception e) when (e is ComputeException or InvalidOperationException)
            {
                foreach (var pending in batch)
                {
                    pending.Result.SetException(e);
                }
            }
        }
    }

    private sealed record Pending(byte[] Field, TaskCompletionSource<Prediction> Result);
}
