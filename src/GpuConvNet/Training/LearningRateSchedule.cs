using GpuConvNet.Nn;

namespace GpuConvNet.Training;

/// <summary>The learning rate of each epoch.</summary>
/// <param name="Kind">Constant, step or cosine.</param>
/// <param name="Initial">The first epoch's rate.</param>
/// <param name="Epochs">The run's length (for cosine).</param>
public sealed record LearningRateSchedule(ScheduleKind Kind, double Initial, int Epochs)
{
    /// <summary>Decay factor per epoch of <see cref="ScheduleKind.Step"/>.</summary>
    public const double StepGamma = 0.7;

    /// <summary>The rate of 1-based <paramref name="epoch"/>.</summary>
    public double At(int epoch) => Kind switch
    {
        ScheduleKind.Step => Initial * Math.Pow(StepGamma, epoch - 1),
        // Half a cosine over the epochs, sampled at each epoch's start: the last epoch still trains (rate > 0).
        ScheduleKind.Cosine => Initial * 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / Math.Max(1, Epochs))),
        _ => Initial,
    };
}
