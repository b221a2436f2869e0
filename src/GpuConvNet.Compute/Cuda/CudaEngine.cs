namespace GpuConvNet.Compute.Cuda;

/// <summary>Our CUDA engine: <c>cuda:N</c>, generated CUDA C compiled by NVRTC.</summary>
public static class CudaEngine
{
    /// <summary>The engine.</summary>
    public static Engine Instance { get; } = new()
    {
        Id = "cuda",
        Title = "Cuda",
        Summary = "NVIDIA GPUs through the driver and NVRTC (the CUDA toolkit)",
        Capabilities = EngineCapabilities.Tunable,
        BestRank = 0,
        Probe = CudaBackend.Probe,
    };
}
