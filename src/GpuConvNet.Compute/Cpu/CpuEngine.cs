namespace GpuConvNet.Compute.Cpu;

/// <summary>The CPU accelerator's engine: <c>cpu</c>, always present.</summary>
public static class CpuEngine
{
    /// <summary>The engine.</summary>
    public static Engine Instance { get; } = new()
    {
        Id = "cpu",
        Title = "Cpu",
        Summary = "our CPU accelerator: runs the kernels' C#, every access checked, barrier divergence reported (for debugging, not speed)",
        Single = true,
        Capabilities = EngineCapabilities.ManagedLanes | EngineCapabilities.CheckedAccess,
        BestRank = 4,
        Probe = () => new EngineProbe(Instance!, [CpuAccelerator.Describe()], null),
    };
}
