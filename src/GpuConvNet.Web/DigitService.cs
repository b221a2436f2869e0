using System.Globalization;
using System.Threading.Channels;
using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Inference;
using GpuConvNet.Nn;

namespace GpuConvNet.Web;

/// <summary>
/// A model, or an ensemble of models whose probabilities are averaged, loaded once on one accelerator, answering
/// predictions for many concurrent requests. Requests queue; one worker takes whatever has queued (up to the batch
/// size) and runs it as one batch, so the accelerator is used by one thread at a time and concurrent clients share
/// launches. A batch gives each image the same answer as predicting it alone (the models' layers treat images
/// independently; tested).
/// </summary>
public sealed class DigitService : IDisposable
{
    private readonly LoadedEnsemble models;
    private readonly Accelerator accelerator;
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task worker;

    private DigitService(LoadedEnsemble models, Accelerator accelerator, ModelDescription description, TrainedOn trainedOn)
    {
        this.models = models;
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
    public static DigitService Open(string checkpoint, Accelerator accelerator) => Open([checkpoint], accelerator);

    /// <summary>
    /// Opens the ensemble of <paramref name="checkpoints"/> (one: that model alone) on <paramref name="accelerator"/>,
    /// which the service then owns.
    /// </summary>
    /// <exception cref="UserInputException">A checkpoint is missing or not one of ours, or the members disagree.</exception>
    public static DigitService Open(IReadOnlyList<string> checkpoints, Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        var ensemble = Ensemble.Read(checkpoints);
        var trainedOn = ensemble.TrainedOn;
        var models = ensemble.Build(accelerator);
        var members = ensemble.Members.Select((m, i) => Member(m, models.Models[i])).ToList();
        bool one = members.Count == 1;
        var description = new ModelDescription(string.Join(" + ", members.Select(m => m.Name)), trainedOn.ClassNames, trainedOn.Input.Width, trainedOn.Input.Height,
            members.Sum(m => m.Parameters), one ? members[0].Epoch : null, one ? members[0].ValidationAccuracy : null, accelerator.Device.Id, accelerator.Device.Name,
            string.Join(", ", members.Select(m => m.Checkpoint)), trainedOn.Dataset, members);
        // One blank prediction before serving: the device compiles the models' kernels (and, on a CPU, races their
        // variants) now, not while the first visitor waits for an answer.
        models.Predict([new byte[trainedOn.Input.Width * trainedOn.Input.Height]]);
        return new DigitService(models, accelerator, description, trainedOn);
    }

    /// <summary>
    /// The prediction for one input (e.g. a 28×28 field, 784 bytes, MNIST's format), with each member's, batched with
    /// whatever else is waiting.
    /// </summary>
    public Task<EnsemblePrediction> PredictAsync(byte[] field)
    {
        ArgumentNullException.ThrowIfNull(field);
        int pixels = TrainedOn.Input.Height * TrainedOn.Input.Width;
        if (field.Length != pixels)
        {
            throw new ArgumentException($"a field has {pixels} pixels, not {field.Length}", nameof(field));
        }
        var pending = new Pending(field, new TaskCompletionSource<EnsemblePrediction>(TaskCreationOptions.RunContinuationsAsynchronously));
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
        models.Dispose();
        accelerator.Dispose();
    }

    private async Task Work()
    {
        var batch = new List<Pending>(models.MaxBatch);
        while (await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < models.MaxBatch && queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }
            try
            {
                var predictions = models.Predict([.. batch.Select(p => p.Field)]);
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

    private static MemberDescription Member(EnsembleMember member, Model model)
    {
        var metadata = member.File.Metadata;
        int? epoch = int.TryParse(metadata.GetValueOrDefault("epoch"), CultureInfo.InvariantCulture, out int e) ? e : null;
        double? accuracy = double.TryParse(metadata.GetValueOrDefault("validation_accuracy"), NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
            && double.IsFinite(a) ? a : null;
        return new MemberDescription(model.Name, Path.GetFileName(member.Path), model.ParameterCount, epoch, accuracy);
    }

    private sealed record Pending(byte[] Field, TaskCompletionSource<EnsemblePrediction> Result);
}
