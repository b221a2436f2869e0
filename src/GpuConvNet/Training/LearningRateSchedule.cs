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

    /// <summary>Share of training spent warming up in <see cref="ScheduleKind.OneCycle"/>.</summary>
    public const double WarmUp = 0.25;

    /// <summary>
    /// The rate <paramref name="fraction"/> of the way through 1-based <paramref name="epoch"/> (0: its start); only
    /// <see cref="ScheduleKind.OneCycle"/> changes within an epoch.
    /// </summary>
    public double At(int epoch, double fraction = 0) => Kind switch
    {
        ScheduleKind.OneCycle => OneCycle(((epoch - 1) + fraction) / Math.Max(1, Epochs)),
        ScheduleKind.Step => Initial * Math.Pow(StepGamma, epoch - 1),
        // Half a cosine over the epochs, sampled at each epoch's start: the last epoch still trains (rate > 0).
        ScheduleKind.Cosine => Initial * 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / Math.Max(1, Epochs))),
        _ => Initial,
    };

    private double OneCycle(double progress)
    {
        double start = Initial / 25, end = Initial / 1e4;
        return progress < WarmUp
            ? start + (Initial - start) * progress / WarmUp
            : end + (Initial - end) * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, (progress - WarmUp) / (1 - WarmUp))));
    }
}
