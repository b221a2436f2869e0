namespace GpuConvNet.Compute.Ilgpu;

/// <summary>ILGPU's three engines: the kernels' ILGPU twins, compiled by ILGPU 1.5.3 at run time.</summary>
public static class IlgpuEngines
{
    /// <summary><c>ilgpu-cuda:N</c>: NVIDIA GPUs with the driver alone (ILGPU emits PTX itself).</summary>
    public static Engine Cuda { get; } = new()
    {
        Id = "ilgpu-cuda",
        Title = "IlgpuCuda",
        Summary = "NVIDIA GPUs through ILGPU, which emits PTX itself: the driver alone, no NVRTC",
        Capabilities = EngineCapabilities.IlgpuCompiler | EngineCapabilities.Tunable,
        BestRank = 1,
        Probe = IlgpuBackend.ProbeCuda,
    };

    /// <summary><c>ilgpu-opencl:N</c>: OpenCL 2.0 devices with generic address space.</summary>
    public static Engine OpenCL { get; } = new()
    {
        Id = "ilgpu-opencl",
        Title = "IlgpuOpenCL",
        Summary = "OpenCL 2.0 devices with generic address space, through ILGPU (not PoCL 3.1, NVIDIA's OpenCL or Apple's)",
        Capabilities = EngineCapabilities.IlgpuCompiler | EngineCapabilities.Tunable,
        BestRank = 3,
        Probe = IlgpuBackend.ProbeOpenCL,
    };

    /// <summary><c>ilgpu-cpu</c>: ILGPU's CPU accelerator, one OS thread per lane; a second compiler for checking.</summary>
    public static Engine Cpu { get; } = new()
    {
        Id = "ilgpu-cpu",
        Title = "IlgpuCpu",
        Summary = "ILGPU's CPU accelerator: a second, independent compiler for checking (one OS thread per lane: not for speed)",
        Single = true,
        Capabilities = EngineCapabilities.IlgpuCompiler,
        Probe = IlgpuBackend.ProbeCpu,
    };
}
