using System.Collections.Concurrent;

namespace GpuConvNet.Compute;

/// <summary>Finds the devices of every registered <see cref="Engine"/> and opens accelerators on them.</summary>
public static class Accelerators
{
    private static readonly ConcurrentDictionary<Engine, Lazy<EngineProbe>> Probed = new();

    /// <summary>What each engine found (or why it is unavailable), probed once per process, in <see cref="Engines.All"/> order.</summary>
    public static IReadOnlyList<EngineProbe> Probes => Engines.All.Select(Probe).ToArray();

    /// <summary>Every device on this machine, engine by engine in <see cref="Engines.All"/> order.</summary>
    public static IReadOnlyList<DeviceInfo> All => Probes.SelectMany(p => p.Devices).ToArray();

    /// <summary>What probing <paramref name="engine"/> found, probed once per process.</summary>
    public static EngineProbe Probe(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return Probed.GetOrAdd(engine, e => new Lazy<EngineProbe>(() => SimulatorsLast(SafeProbe(e)))).Value;
    }

    // A simulator (Oclgrind, registered on every CI machine) listed first would make opencl:0 — the id the README's and
    // the scripts' commands use — a device 10⁴ times slower: simulators come after the real devices, in their order.
    private static EngineProbe SimulatorsLast(EngineProbe probe) =>
        probe.Devices.Any(d => d.IsSimulator) ? probe with { Devices = [.. probe.Devices.OrderBy(d => d.IsSimulator)] } : probe;

    /// <summary>
    /// The best device here: a GPU before a CPU, and among devices of one type the engine with the lowest
    /// <see cref="Engine.BestRank"/> (our CUDA, ILGPU's CUDA, our OpenCL, ILGPU's OpenCL, our CPU accelerator).
    /// Simulators, and engines without a rank (ILGPU's CPU accelerator: one OS thread per lane, 1–600× slower than
    /// ours; kernels.md), are never picked. The CPU accelerator is always there, so there always is a best device.
    /// </summary>
    public static DeviceInfo BestDevice => BestOf(All)!;

    /// <summary>The best of <paramref name="devices"/> by <see cref="BestDevice"/>'s order, or null if none qualifies.</summary>
    internal static DeviceInfo? BestOf(IEnumerable<DeviceInfo> devices) => devices
        .Where(d => d.Engine.BestRank is not null && !d.IsSimulator && d.Type != DeviceType.Other)
        .OrderBy(d => d.Type == DeviceType.Gpu ? 0 : 1)
        .ThenBy(d => d.Engine.BestRank)
        .ThenBy(d => d.Index)
        .FirstOrDefault();

    /// <summary>Opens the best device here (see <see cref="BestDevice"/>).</summary>
    public static Accelerator Best() => BestDevice.Open();

    /// <summary>
    /// Opens the device that <paramref name="id"/> names: <c>best</c>; an engine's id (<c>cpu</c>, <c>opencl</c>,
    /// <c>cuda</c>, <c>ilgpu-cpu</c>, …) for its first device that is not a simulator; <c>engine:N</c> for its N-th
    /// device in <c>devices</c>' order, where simulators come last; or a device's own id (<c>opencl:pocl:0</c>), or the start of one
    /// (<c>opencl:pocl</c>), which stay put when other platforms are installed. Unknown or absent devices give an
    /// <see cref="ArgumentException"/> that lists what exists.
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
        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        string engineId = colon < 0 ? spec : spec[..colon];
        string rest = colon < 0 ? "" : spec[(colon + 1)..];
        var engine = Engines.Find(engineId);
        if (engine is null || (colon >= 0 && rest.Length == 0))
        {
            throw new ArgumentException($"'{id}' is not an accelerator name: use {Engines.IdPatterns}, or a device id that 'devices' lists", nameof(id));
        }
        var probe = Probe(engine);
        var devices = probe.Devices;
        DeviceInfo? found = rest.Length == 0
            ? devices.FirstOrDefault(d => !d.IsSimulator || engine.Has(EngineCapabilities.Simulator))
            : int.TryParse(rest, out int index)
                ? (index >= 0 && index < devices.Count ? devices[index] : null)
                : devices.FirstOrDefault(d => d.Id == spec) ?? devices.FirstOrDefault(d => d.Id.StartsWith(spec + ":", StringComparison.Ordinal));
        if (found is not null)
        {
            return found;
        }
        string here = devices.Count == 0
            ? $"no {engine.Id} device is available here{(probe.Unavailable is null ? "" : ": " + probe.Unavailable)}"
            : rest.Length == 0
                ? $"{engine.Id} has only simulators, which are used only when named: {string.Join(", ", devices.Select(d => d.Id))}"
                : $"{engine.Id} has {devices.Count} device{(devices.Count == 1 ? "" : "s")}: {string.Join(", ", devices.Select(d => d.Id))}";
        throw new ArgumentException($"no accelerator '{id}': {here}", nameof(id));
    }

    private static EngineProbe SafeProbe(Engine engine)
    {
        try
        {
            return engine.Probe();
        }
        // A probe must not throw; one that does (a plug-in's, a broken driver's) makes its engine unavailable, not the others.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return engine.Unavailable($"probing failed: {e.Message}");
        }
    }
}
