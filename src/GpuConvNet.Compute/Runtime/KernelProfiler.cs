using System.Diagnostics;

namespace GpuConvNet.Compute;

/// <summary>
/// Time per kernel, for finding where a workload spends its time. While attached to an accelerator
/// (<see cref="Accelerator.Profiler"/>), every launch is synchronised before and after, so launches no longer overlap
/// with the host: profile to find the expensive kernel, not to measure throughput.
/// </summary>
public sealed class KernelProfiler
{
    private readonly Dictionary<string, (int Launches, TimeSpan Time)> kernels = [];

    /// <summary>Launches and total time per kernel, most expensive first.</summary>
    public IReadOnlyList<(string Kernel, int Launches, TimeSpan Time)> Results =>
        kernels.Select(k => (k.Key, k.Value.Launches, k.Value.Time)).OrderByDescending(k => k.Time).ToArray();

    /// <summary>Total time in kernels.</summary>
    public TimeSpan Total => kernels.Values.Aggregate(TimeSpan.Zero, (sum, k) => sum + k.Time);

    /// <summary>Forgets what was measured.</summary>
    public void Clear() => kernels.Clear();

    internal void Measure(Accelerator accelerator, KernelDefinition kernel, Action launch)
    {
        accelerator.Synchronize();
        long start = Stopwatch.GetTimestamp();
        launch();
        accelerator.Synchronize();
        var elapsed = Stopwatch.GetElapsedTime(start);
        var (launches, time) = kernels.GetValueOrDefault(kernel.Name);
        kernels[kernel.Name] = (launches + 1, time + elapsed);
    }
}
