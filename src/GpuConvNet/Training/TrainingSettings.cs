using GpuConvNet.Kernels;
using GpuConvNet.Nn;

namespace GpuConvNet.Training;

/// <summary>How to train: what the <c>train</c> command's options set.</summary>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="BatchSize">Examples per step.</param>
/// <param name="Optimizer">SGD (momentum 0.9) or Adam.</param>
/// <param name="Schedule">Learning rate per epoch.</param>
/// <param name="Seed">Initialisation, shuffling, dropout and augmentation all derive from it: runs repeat exactly on the same accelerator.</param>
/// <param name="MaxShift">
/// Random-shift augmentation in pixels (0: none): whole pixels alone, or with a rotation, a scale or an elastic
/// distortion any amount up to it.
/// </param>
/// <param name="WeightDecay">L2 weight decay.</param>
/// <param name="LogEvery">Batches between reads of the running loss and accuracy.</param>
/// <param name="MaxRotation">Random-rotation augmentation: each image turned by up to this many degrees either way (0: none).</param>
/// <param name="MaxScale">Random-scale augmentation: each image resized by a factor in [1 − MaxScale, 1 + MaxScale] (0: none).</param>
/// <param name="Elastic">
/// Elastic-distortion augmentation (α, σ in pixels; α 0: none): each image displaced by its own smoothed random field,
/// in the same resampling as the rotation and scale.
/// </param>
public sealed record TrainingSettings(int Epochs, int BatchSize, OptimizerKind Optimizer, LearningRateSchedule Schedule, int Seed,
    int MaxShift = 0, float WeightDecay = 0f, int LogEvery = 50, float MaxRotation = 0f, float MaxScale = 0f, ElasticDistortion Elastic = default)
{
    /// <summary>
    /// True when images are resampled (<see cref="AffineGather"/>) rather than shifted by whole pixels: a rotation,
    /// a scale or an elastic distortion is asked for.
    /// </summary>
    public bool Resamples => MaxRotation > 0 || MaxScale > 0 || Elastic.IsOn;
}
