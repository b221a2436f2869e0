using System.Reflection;
using System.Runtime.InteropServices;

namespace GpuConvNet.LibTorchBaseline;

/// <summary>What the results were measured with, for the JSON's <c>meta</c> and <c>device</c>.</summary>
internal static class Machine
{
    /// <summary>libtorch's version (TorchSharp reports it) and TorchSharp's.</summary>
    public static string LibTorchVersion =>
        $"libtorch {TorchSharp.torch.__version__} (TorchSharp " +
        $"{typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]})";

    /// <summary>The CPU's model name from /proc/cpuinfo, or the architecture where there is none.</summary>
    public static string CpuName =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").Where(l => l.StartsWith("model name", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).FirstOrDefault()
              ?? RuntimeInformation.ProcessArchitecture.ToString()
            : RuntimeInformation.ProcessArchitecture.ToString();
}
