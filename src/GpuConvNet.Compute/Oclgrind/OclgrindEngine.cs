using GpuConvNet.Compute.OpenCL;

namespace GpuConvNet.Compute.Oclgrind;

/// <summary>
/// The sanitizer engine, <c>oclgrind</c>: our generated OpenCL C run on Oclgrind, a simulator of an OpenCL 1.2 device,
/// with its data-race detector and API checks on; every launch waits for the simulation and fails with Oclgrind's
/// report (a race, an access outside a buffer, a barrier not every work-item reached). What compute-sanitizer is to
/// CUDA, without a GPU. Linux: <c>apt-get install oclgrind</c>, then register its ICD
/// (<see cref="OclgrindAccelerator.IcdHint"/>).
/// </summary>
public static class OclgrindEngine
{
    /// <summary>The engine.</summary>
    public static Engine Instance { get; } = new()
    {
        Id = "oclgrind",
        Title = "Oclgrind",
        Summary = "Oclgrind, a simulated OpenCL device that reports data races, out-of-bounds accesses and divergent barriers (for checking kernels, not speed)",
        Single = true,
        Capabilities = EngineCapabilities.CheckedAccess | EngineCapabilities.Simulator,
        Probe = Probe,
    };

    private static EngineProbe Probe()
    {
        var probe = OpenCLBackend.Probe(Instance, IsOclgrind, OclgrindAccelerator.Open);
        return probe.Devices.Count == 0 && File.Exists(OclgrindAccelerator.IcdLibrary)
            ? Instance.Unavailable($"Oclgrind is installed but not registered with the OpenCL ICD loader: {OclgrindAccelerator.IcdHint}")
            : probe.Devices.Count == 0
                ? Instance.Unavailable($"Oclgrind is not installed (apt-get install oclgrind, then {OclgrindAccelerator.IcdHint})")
                : probe;
    }

    private static bool IsOclgrind(string platformName) => platformName.Contains("Oclgrind", StringComparison.OrdinalIgnoreCase);
}
