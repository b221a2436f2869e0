using GpuConvNet.Nn;

namespace GpuConvNet.Training;

/// <summary>How to train: what the <c>train</c> command's options set.</summary>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="BatchSize">Examples per step.</param>
/// <param name="Optimizer">SGD (momentum 0.9) or Adam.</param>
/// <param name="Schedule">Learning rate per epoch.</param>
/// <param name="Seed">Initialisation, shuffling, dropout and augmentation all derive from it: runs repeat exactly on the same accelerator.</param>
/// <param name="MaxShift">
/// Random-shift augmentation in pixels (0: none): whole pixels alone, or with a rotation or a scale any amount up to it.
/// </param>
/// <param name="WeightDecay">L2 weight decay.</param>
/// <param name="LogEvery">Batches between reads of the running loss and accuracy.</param>
/// <param name="MaxRotation">Random-rotation augmentation: each image turned by up to this many degrees either way (0: none).</param>
/// <param name="MaxScale">Random-scale augmentation: each image resized by a factor in [1 − MaxScale, 1 + MaxScale] (0: none).</param>
public sealed record TrainingSettings(int Epochs, int BatchSize, OptimizerKind Optimizer, LearningRateSchedule Schedule, int Seed,
    int MaxShift = 0, float WeightDecay = 0f, int LogEvery = 50, float MaxRotation = 0f, float MaxScale = 0f)
{
    /// <summary>
    /// True when images are resampled (<see cref="Kernels.AffineGather"/>) rather than shifted by whole pixels: a
    /// rotation or a scale is asked for.
    /// </summary>
    public bool Resamples => MaxRotation > 0 || MaxScale > 0;
}
