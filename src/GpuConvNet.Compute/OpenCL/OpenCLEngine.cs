namespace GpuConvNet.Compute.OpenCL;

/// <summary>Our OpenCL engine: <c>opencl:PLATFORM:N</c>, generated OpenCL C 1.2 on any vendor's device.</summary>
public static class OpenCLEngine
{
    /// <summary>The engine.</summary>
    public static Engine Instance { get; } = new()
    {
        Id = "opencl",
        Title = "OpenCL",
        Summary = "any vendor's OpenCL 1.2 device, and CPUs through PoCL: the fastest engine on a machine without a GPU",
        Capabilities = EngineCapabilities.Tunable,
        BestRank = 2,
        Probe = OpenCLBackend.Probe,
    };
}
