using GpuConvNet.Compute;

namespace GpuConvNet.Benchmarks.Infrastructure;

/// <summary>
/// The accelerators a suite runs on: those named in GPUCONVNET_BENCH_DEVICES, else every device found on this machine
/// that <c>best</c> could pick: not ILGPU's CPU accelerator, which spends an OS-thread step on every lane and would take
/// hours over the full shapes (name it, or run benchmarks/engines.sh, whose shapes it finishes in minutes), nor a
/// simulator.
/// </summary>
public static class DeviceParameter
{
    /// <summary>Device ids such as <c>cpu</c>, <c>opencl:pocl:0</c>, <c>cuda:0</c>, <c>ilgpu-cuda:0</c>, <c>ilgpu-cpu</c>.</summary>
    public static IEnumerable<string> All()
    {
        string? only = Environment.GetEnvironmentVariable("GPUCONVNET_BENCH_DEVICES");
        return string.IsNullOrWhiteSpace(only)
            ? Accelerators.All.Where(d => d.Engine.BestRank is not null && !d.IsSimulator).Select(d => d.Id)
            : only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
