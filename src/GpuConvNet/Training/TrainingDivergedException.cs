namespace GpuConvNet.Training;

/// <summary>
/// The training loss became NaN or infinite: the run stops at once, and the checkpoint of the last completed epoch (if
/// any) stays as it was. The message names the epoch and the batch where it was seen, and what to try.
/// </summary>
public sealed class TrainingDivergedException(int epoch, int batch, int batches, double loss, double learningRate)
    : Exception($"training diverged in epoch {epoch} by batch {batch} of {batches}: the mean loss is {loss}; " +
        (epoch > 1 ? $"the checkpoint of epoch {epoch - 1} is kept. " : "nothing was saved. ") +
        $"Try a smaller --lr (this epoch's was {learningRate:G3})")
{
    /// <summary>The epoch that diverged (1-based).</summary>
    public int Epoch { get; } = epoch;

    /// <summary>The batch by which the loss was non-finite (the end of a logging interval, 1-based).</summary>
    public int Batch { get; } = batch;
}
