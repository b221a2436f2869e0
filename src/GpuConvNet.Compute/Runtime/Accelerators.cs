using GpuConvNet.Compute.Cpu;
using GpuConvNet.Compute.Cuda;
using GpuConvNet.Compute.Ilgpu;
using GpuConvNet.Compute.OpenCL;

namespace GpuConvNet.Compute;

/// <summary>Finds the devices on this machine and opens accelerators on them.</summary>
public static class Accelerators
{
    private static readonly Lazy<IReadOnlyList<BackendProbe>> Probes = new(() =>
    [
        CudaBackend.Probe(),
        OpenCLBackend.Probe(),
        new BackendProbe(AcceleratorKind.Cpu, [CpuAccelerator.Describe()], null),
        .. IlgpuBackend.Probe(),
    ]);

    /// <summary>What each backend found (or why it is unavailable), probed once per process.</summary>
    public static IReadOnlyList<BackendProbe> Backends => Probes.Value;

    /// <summary>Every device on this machine: CUDA, OpenCL, the CPU accelerator, then ILGPU's CUDA, OpenCL and CPU.</summary>
    public static IReadOnlyList<DeviceInfo> All => Backends.SelectMany(b => b.Devices).ToArray();

    /// <summary>The devices of one backend.</summary>
    public static IReadOnlyList<DeviceInfo> OfKind(AcceleratorKind kind) =>
        Backends.Where(b => b.Kind == kind).SelectMany(b => b.Devices).ToArray();

    /// <summary>
    /// The best device here: a CUDA GPU (ours, else ILGPU's, which needs only the driver), else an OpenCL GPU (ours,
    /// else ILGPU's), else OpenCL on the CPU, else the CPU accelerator. ILGPU's CPU accelerator is never picked: it runs
    /// one OS thread per lane and measured 1–600× slower than ours (20× for a lenet5 training step; kernels.md).
    /// </summary>
    public static DeviceInfo BestDevice =>
        OfKind(AcceleratorKind.Cuda).FirstOrDefault()
        ?? OfKind(AcceleratorKind.IlgpuCuda).FirstOrDefault()
        ?? OfKind(AcceleratorKind.OpenCL).FirstOrDefault(d => d.Type == DeviceType.Gpu)
        ?? OfKind(AcceleratorKind.IlgpuOpenCL).FirstOrDefault(d => d.Type == DeviceType.Gpu)
        ?? OfKind(AcceleratorKind.OpenCL).FirstOrDefault(d => d.Type == DeviceType.Cpu)
        ?? OfKind(AcceleratorKind.Cpu)[0];

    /// <summary>Opens the best device here (see <see cref="BestDevice"/>).</summary>
    public static Accelerator Best() => BestDevice.Open();

    /// <summary>
    /// Opens the device that <paramref name="id"/> names: <c>best</c>, <c>cpu</c>, <c>opencl</c>, <c>opencl:1</c>,
    /// <c>cuda</c>, <c>cuda:0</c>, and ILGPU's <c>ilgpu-cpu</c>, <c>ilgpu-cuda[:N]</c>, <c>ilgpu-opencl[:N]</c>. Unknown or absent devices give an <see cref="ArgumentException"/> that lists what exists.
    /// </summary>
    public static Accelerator Create(string id) => Find(id).Open();

    /// <summary>The device that <paramref name="id"/> names (see <see cref="Create(string)"/>).</summary>
    public static DeviceInfo Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        string spec = id.Trim().ToLowerInvariant();
        if (spec == "best")
        {
            return BestDevice;
        }
        var parts = spec.Split(':');
        AcceleratorKind? kind = parts[0] switch
        {
            "cpu" => AcceleratorKind.Cpu,
            "opencl" or "cl" => AcceleratorKind.OpenCL,
            "cuda" => AcceleratorKind.Cuda,
            "ilgpu-cpu" => AcceleratorKind.IlgpuCpu,
            "ilgpu-cuda" => AcceleratorKind.IlgpuCuda,
            "ilgpu-opencl" => AcceleratorKind.IlgpuOpenCL,
            _ => null,
        };
        int index = 0;
        if (kind is null || parts.Length > 2 || (parts.Length == 2 && !int.TryParse(parts[1], out index)))
        {
            throw new ArgumentException(
                $"'{id}' is not an accelerator name: use best, cpu, opencl[:N], cuda[:N], ilgpu-cpu, ilgpu-cuda[:N] or ilgpu-opencl[:N]", nameof(id));
        }
        var probe = Backends.First(b => b.Kind == kind);
        if (index >= 0 && index < probe.Devices.Count)
        {
            return probe.Devices[index];
        }
        string found = probe.Devices.Count == 0
            ? $"no {DeviceInfo.KindName(kind.Value)} device is available here{(probe.Unavailable is null ? "" : ": " + probe.Unavailable)}"
            : $"{DeviceInfo.KindName(kind.Value)} has {probe.Devices.Count} device{(probe.Devices.Count == 1 ? "" : "s")}: {string.Join(", ", probe.Devices.Select(d => d.Id))}";
        throw new ArgumentException($"no accelerator '{id}': {found}", nameof(id));
    }
}
