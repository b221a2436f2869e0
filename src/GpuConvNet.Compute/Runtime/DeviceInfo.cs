namespace GpuConvNet.Compute;

/// <summary>The backends an accelerator can run on.</summary>
public enum AcceleratorKind
{
    /// <summary>The managed CPU accelerator (runs the kernels' C#).</summary>
    Cpu,

    /// <summary>An OpenCL device (any vendor, or PoCL on a CPU).</summary>
    OpenCL,

    /// <summary>An NVIDIA GPU through the CUDA driver API and NVRTC.</summary>
    Cuda,

    /// <summary>ILGPU's CPU accelerator running the kernels' ILGPU twins (one OS thread per lane: for checking, not speed).</summary>
    IlgpuCpu,

    /// <summary>An NVIDIA GPU through ILGPU, which emits PTX itself (needs only the driver, no NVRTC).</summary>
    IlgpuCuda,

    /// <summary>An OpenCL device through ILGPU (OpenCL C 2.0 with generic address space; PoCL 3.1 lacks it).</summary>
    IlgpuOpenCL,
}

/// <summary>What kind of processor a device is.</summary>
public enum DeviceType
{
    /// <summary>A CPU.</summary>
    Cpu,

    /// <summary>A GPU.</summary>
    Gpu,

    /// <summary>Anything else (an accelerator card, FPGA, …).</summary>
    Other,
}

/// <summary>A device found on this machine, with its limits, and the way to open it.</summary>
public sealed record DeviceInfo
{
    /// <summary>Device name as the driver reports it.</summary>
    public required string Name { get; init; }

    /// <summary>Backend.</summary>
    public required AcceleratorKind Kind { get; init; }

    /// <summary>Processor type.</summary>
    public required DeviceType Type { get; init; }

    /// <summary>Index among the devices of its backend (what <c>cuda:1</c> or <c>opencl:1</c> name).</summary>
    public required int Index { get; init; }

    /// <summary>Vendor, platform and driver version.</summary>
    public required string Platform { get; init; }

    /// <summary>Global memory in bytes.</summary>
    public required long MemoryBytes { get; init; }

    /// <summary>Most lanes a group may have.</summary>
    public required int MaxGroupSize { get; init; }

    /// <summary>Shared (local) memory per group, in bytes.</summary>
    public required long SharedMemoryPerGroup { get; init; }

    /// <summary>Compute units (SMs, cores).</summary>
    public required int ComputeUnits { get; init; }

    /// <summary>Largest single allocation in bytes.</summary>
    public required long MaxAllocationBytes { get; init; }

    /// <summary>Opens an accelerator on this device.</summary>
    public required Func<Accelerator> Open { get; init; }

    /// <summary>The short name that <see cref="Accelerators.Create(string)"/> takes, e.g. <c>opencl:0</c>.</summary>
    public string Id => Kind switch
    {
        AcceleratorKind.Cpu => "cpu",
        AcceleratorKind.IlgpuCpu => "ilgpu-cpu",
        _ => $"{KindName(Kind)}:{Index}",
    };

    /// <summary>True for the ILGPU engine's devices (ILGPU compiles the kernels' twins), false for our compiler's.</summary>
    public bool IsIlgpu => Kind is AcceleratorKind.IlgpuCpu or AcceleratorKind.IlgpuCuda or AcceleratorKind.IlgpuOpenCL;

    /// <summary>The id prefix of a backend: <c>cpu</c>, <c>opencl</c>, <c>cuda</c>, <c>ilgpu-cpu</c>, <c>ilgpu-cuda</c>, <c>ilgpu-opencl</c>.</summary>
    public static string KindName(AcceleratorKind kind) => kind switch
    {
        AcceleratorKind.IlgpuCpu => "ilgpu-cpu",
        AcceleratorKind.IlgpuCuda => "ilgpu-cuda",
        AcceleratorKind.IlgpuOpenCL => "ilgpu-opencl",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <inheritdoc />
    public override string ToString() => $"{Id} {Name} ({Type}, {MemoryBytes / (1 << 20)} MiB, {ComputeUnits} CUs)";
}

/// <summary>What probing one backend found: its devices, or why it is not available.</summary>
/// <param name="Kind">The backend.</param>
/// <param name="Devices">Devices found (empty when unavailable).</param>
/// <param name="Unavailable">Why the backend cannot be used here, or null.</param>
public sealed record BackendProbe(AcceleratorKind Kind, IReadOnlyList<DeviceInfo> Devices, string? Unavailable);
