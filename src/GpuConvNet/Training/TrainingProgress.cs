namespace GpuConvNet.Training;

/// <summary>A progress report inside an epoch (one per logging interval).</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches in the epoch.</param>
/// <param name="Loss">Mean loss over the epoch so far.</param>
/// <param name="Accuracy">Accuracy over the epoch so far.</param>
/// <param name="ImagesPerSecond">Throughput so far.</param>
public sealed record TrainingProgress(int Epoch, int Batch, int Batches, double Loss, double Accuracy, double ImagesPerSecond);
