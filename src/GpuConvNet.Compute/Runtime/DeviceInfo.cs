namespace GpuConvNet.Compute;

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

    /// <summary>The engine that runs kernels on it.</summary>
    public required Engine Engine { get; init; }

    /// <summary>
    /// The name that <see cref="Accelerators.Create(string)"/> takes and <c>devices</c> shows: <c>cpu</c>,
    /// <c>cuda:0</c>, <c>opencl:pocl:0</c> (OpenCL devices are named by platform, so installing another platform
    /// renames nothing).
    /// </summary>
    public required string Id { get; init; }

    /// <summary>
    /// True for a device that simulates or emulates one (Oclgrind, an FPGA emulator): <c>best</c> and a bare engine id
    /// never choose it; only its own id does.
    /// </summary>
    public bool IsSimulator { get; init; }

    /// <summary>Processor type.</summary>
    public required DeviceType Type { get; init; }

    /// <summary>Index among the devices of its engine, in listing order (what <c>cuda:1</c> or <c>opencl:1</c> name).</summary>
    public required int Index { get; init; }

    /// <summary>Vendor, platform and driver version.</summary>
    public required string Platform { get; init; }

    /// <summary>Global memory in bytes.</summary>
    public required long MemoryBytes { get; init; }

    /// <summary>Most lanes a group may have.</summary>
    public required int MaxGroupSize { get; init; }

    /// <summary>
    /// Lanes per warp: 32 on our engines (CUDA's; OpenCL and the CPU accelerator emulate warps of 32 through shared
    /// memory), ILGPU's own on its engines.
    /// </summary>
    public int WarpSize { get; init; } = Warp.Size;

    /// <summary>Shared (local) memory per group, in bytes.</summary>
    public required long SharedMemoryPerGroup { get; init; }

    /// <summary>Compute units (SMs, cores).</summary>
    public required int ComputeUnits { get; init; }

    /// <summary>Largest single allocation in bytes.</summary>
    public required long MaxAllocationBytes { get; init; }

    /// <summary>Opens an accelerator on this device.</summary>
    public required Func<Accelerator> Open { get; init; }

    /// <summary>True for the ILGPU engine's devices (ILGPU compiles the kernels' twins), false for our compiler's.</summary>
    public bool IsIlgpu => Engine.Has(EngineCapabilities.IlgpuCompiler);

    /// <summary>ILGPU's name: opens this device; <paramref name="context"/> disposes the accelerator when it is disposed.</summary>
    public Accelerator CreateAccelerator(Context context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Own(Open());
    }

    /// <inheritdoc />
    public override string ToString() => $"{Id} {Name} ({Type}, {MemoryBytes / (1 << 20)} MiB, {ComputeUnits} CUs)";
}
