namespace GpuConvNet.Compute;

/// <summary>What an engine can do, for ops that choose a kernel variant and for device selection.</summary>
[Flags]
public enum EngineCapabilities
{
    /// <summary>Nothing special.</summary>
    None = 0,

    /// <summary>
    /// Runs the kernels' C# on the host, a group's lanes as coroutines: launches cost nothing beyond their work, atomics
    /// are plain host atomics, and every barrier is a coroutine switch per lane (our CPU accelerator).
    /// </summary>
    ManagedLanes = 1,

    /// <summary>Kernels run as their ILGPU twins, compiled by ILGPU.</summary>
    IlgpuCompiler = 2,

    /// <summary>
    /// Runs compiled device code at the device's speed, so racing kernel variants once per device measures something
    /// worth keeping (<c>KernelTuning</c>); engines that check or simulate every access would only measure the checks.
    /// </summary>
    Tunable = 4,

    /// <summary>
    /// Every access is checked and a fault names the kernel (our CPU accelerator, Oclgrind): the engines to debug on.
    /// </summary>
    CheckedAccess = 8,

    /// <summary>
    /// Simulates a device work-item by work-item (Oclgrind): never chosen by <c>best</c> or by the bare engine id of
    /// another engine, only when named.
    /// </summary>
    Simulator = 16,
}

/// <summary>
/// One engine: a way of finding devices and running kernels on them (our OpenCL, our CUDA, the CPU accelerator,
/// ILGPU's three, Oclgrind). Each engine's folder declares its own instance; <see cref="Engines"/> lists them, and device
/// ids, <c>best</c>, the <c>devices</c> listing, messages and test matrices are derived from that list.
/// </summary>
public sealed class Engine
{
    /// <summary>The id prefix of its devices: <c>opencl</c> in <c>opencl:pocl:0</c>.</summary>
    public required string Id { get; init; }

    /// <summary>
    /// A name made of letters and digits for code and test names (<c>OpenCL</c>, <c>IlgpuCpu</c>): the suffix of the
    /// generated test classes (<c>SoftmaxTestsOnOpenCL</c>).
    /// </summary>
    public required string Title { get; init; }

    /// <summary>One line for <c>devices</c> and help texts: what the engine is for.</summary>
    public required string Summary { get; init; }

    /// <summary>True when the engine has a single device, named by the bare <see cref="Id"/> (<c>cpu</c>).</summary>
    public bool Single { get; init; }

    /// <summary>What the engine can do.</summary>
    public EngineCapabilities Capabilities { get; init; }

    /// <summary>
    /// Where the engine stands when <c>best</c> chooses among devices of the same type (GPUs before CPUs): lower first;
    /// null for an engine <c>best</c> never picks (ILGPU's CPU accelerator, simulators).
    /// </summary>
    public int? BestRank { get; init; }

    /// <summary>Lists the engine's devices, or says why there are none. Must not throw.</summary>
    public required Func<EngineProbe> Probe { get; init; }

    /// <summary>True when the engine has every one of <paramref name="capabilities"/>.</summary>
    public bool Has(EngineCapabilities capabilities) => (Capabilities & capabilities) == capabilities;

    /// <summary>How ids of this engine are written: <c>cpu</c>, or <c>opencl[:NAME|:N]</c>.</summary>
    public string IdPattern => Single ? Id : $"{Id}[:N]";

    /// <summary>The id of a device of this engine: the bare id of a single engine, else <c>id:suffix</c>.</summary>
    public string DeviceId(string suffix) => Single ? Id : $"{Id}:{suffix}";

    /// <summary>An empty probe of this engine with the reason.</summary>
    public EngineProbe Unavailable(string reason) => new(this, [], reason);

    /// <inheritdoc />
    public override string ToString() => Id;
}

/// <summary>What probing one engine found: its devices, or why it is not available.</summary>
/// <param name="Engine">The engine.</param>
/// <param name="Devices">Devices found (empty when unavailable).</param>
/// <param name="Unavailable">Why the engine cannot be used here, or null.</param>
public sealed record EngineProbe(Engine Engine, IReadOnlyList<DeviceInfo> Devices, string? Unavailable);
