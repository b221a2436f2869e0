using GpuConvNet.Nn;

namespace GpuConvNet.Training;

/// <summary>How to train: what the <c>train</c> command's options set.</summary>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="BatchSize">Examples per step.</param>
/// <param name="Optimizer">SGD (momentum 0.9) or Adam.</param>
/// <param name="Schedule">Learning rate per epoch.</param>
/// <param name="Seed">Initialisation, shuffling, dropout and augmentation all derive from it: runs repeat exactly on the same accelerator.</param>
/// <param name="MaxShift">Random-shift augmentation in pixels (0: none).</param>
/// <param name="WeightDecay">L2 weight decay.</param>
/// <param name="LogEvery">Batches between reads of the running loss and accuracy.</param>
public sealed record TrainingSettings(int Epochs, int BatchSize, OptimizerKind Optimizer, LearningRateSchedule Schedule, int Seed,
    int MaxShift = 0, float WeightDecay = 0f, int LogEvery = 50);
