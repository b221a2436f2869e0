using GpuConvNet.Compute;

namespace GpuConvNet.Benchmarks.Infrastructure;

/// <summary>The accelerators a suite runs on: every device found on this machine, or those named in GPUCONVNET_BENCH_DEVICES.</summary>
public static class DeviceParameter
{
    /// <summary>Device ids such as <c>cpu</c>, <c>opencl:0</c>, <c>cuda:0</c>.</summary>
    public static IEnumerable<string> All()
    {
        string? only = Environment.GetEnvironmentVariable("GPUCONVNET_BENCH_DEVICES");
        return string.IsNullOrWhiteSpace(only)
            ? Accelerators.All.Select(d => d.Id)
            : only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
