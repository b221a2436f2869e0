namespace GpuConvNet.Training;

/// <summary>One epoch of training: what the history CSV/JSON and the learning curves hold.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss over the epoch.</param>
/// <param name="TrainAccuracy">Training accuracy over the epoch (with dropout and augmentation active).</param>
/// <param name="ValidationLoss">Mean validation loss after the epoch (NaN without a validation split).</param>
/// <param name="ValidationAccuracy">Validation accuracy after the epoch (NaN without a validation split).</param>
/// <param name="LearningRate">Learning rate used in the epoch.</param>
/// <param name="Seconds">Wall time of the epoch's training (not its validation).</param>
/// <param name="ImagesPerSecond">Training images per second.</param>
public sealed record EpochRecord(int Epoch, double TrainLoss, double TrainAccuracy, double ValidationLoss, double ValidationAccuracy,
    double LearningRate, double Seconds, double ImagesPerSecond);
