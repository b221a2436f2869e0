using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace GpuConvNet.Compute.Ilgpu;

/// <summary>
/// Finds ILGPU's devices: its CPU accelerator (always), CUDA GPUs (when the NVIDIA driver loads) and OpenCL devices
/// that ILGPU can use (OpenCL C 2.0 with generic address space). Each accelerator gets a Context of its own: one
/// Context shared by several CPU accelerators was seen to hang.
/// </summary>
internal static class IlgpuBackend
{
    /// <summary>Lanes per simulated warp and warps per group of ILGPU's CPU accelerator: groups of up to 256 lanes.</summary>
    private const int CpuWarpSize = 4;
    private const int CpuWarpsPerGroup = 64;

    static IlgpuBackend()
    {
        // ILGPU imports "cuda" and "OpenCL" by their unversioned names, which distributions only ship with -dev
        // packages: resolve them to the libraries our own backends load (libcuda.so.1, libOpenCL.so.1).
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(ILGPU.Context).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // A resolver is set already (by the host application): it decides where the libraries come from.
        }
    }

    /// <summary>ILGPU's CUDA devices, or why there are none. Never throws.</summary>
    public static EngineProbe ProbeCuda() => Safely(IlgpuEngines.Cuda, FindCuda);

    /// <summary>ILGPU's OpenCL devices, or why there are none. Never throws.</summary>
    public static EngineProbe ProbeOpenCL() => Safely(IlgpuEngines.OpenCL, FindOpenCL);

    /// <summary>ILGPU's CPU accelerator. Never throws.</summary>
    public static EngineProbe ProbeCpu() => Safely(IlgpuEngines.Cpu, FindCpu);

    /// <summary>A new Context for <paramref name="engine"/>, with ILGPU.Algorithms (XMath) enabled.</summary>
    internal static ILGPU.Context CreateContext(Engine engine) => ILGPU.Context.Create(builder =>
    {
        _ = engine == IlgpuEngines.Cuda ? builder.Cuda()
            : engine == IlgpuEngines.OpenCL ? builder.OpenCL()
            : builder.CPU(new CPUDevice(CpuWarpSize, CpuWarpsPerGroup, 1));
        builder.EnableAlgorithms();
    });

    private static EngineProbe Safely(Engine engine, Func<EngineProbe> probe)
    {
        try
        {
            return probe();
        }
        // A driver that fails in an unexpected way must not take the other backends down with it.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return engine.Unavailable($"ILGPU could not query it: {e.Message}");
        }
    }

    private static EngineProbe FindCpu()
    {
        var cpu = new CPUDevice(CpuWarpSize, CpuWarpsPerGroup, 1);
        DeviceInfo info = null!;
        info = new DeviceInfo
        {
            Name = $"ILGPU CPU accelerator ({cpu.MaxNumThreadsPerGroup} lane threads)",
            Engine = IlgpuEngines.Cpu,
            Id = IlgpuEngines.Cpu.Id,
            Type = DeviceType.Cpu,
            Index = 0,
            Platform = $"ILGPU {ILGPU.Context.Version}, one OS thread per lane",
            MemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            MaxGroupSize = cpu.MaxNumThreadsPerGroup,
            WarpSize = cpu.WarpSize,
            SharedMemoryPerGroup = cpu.MaxSharedMemoryPerGroup,
            ComputeUnits = cpu.NumMultiprocessors,
            MaxAllocationBytes = Array.MaxLength,
            Open = () => new IlgpuAccelerator(info, 0),
        };
        return new EngineProbe(IlgpuEngines.Cpu, [info], null);
    }

    private static EngineProbe FindCuda()
    {
        if (!NativeLibraries.TryLoad(NativeLibraries.Cuda, out var error))
        {
            return IlgpuEngines.Cuda.Unavailable($"no NVIDIA driver ({error})");
        }
        var devices = CudaDevice.GetDevices(_ => true);
        if (devices.Length == 0)
        {
            return IlgpuEngines.Cuda.Unavailable("the NVIDIA driver loads but reports no device ILGPU supports");
        }
        var found = devices.Select((device, index) => Describe(IlgpuEngines.Cuda, DeviceType.Gpu, device, index,
            $"NVIDIA, ILGPU {ILGPU.Context.Version} PTX, {((CudaDevice)device).Architecture}")).ToList();
        return new EngineProbe(IlgpuEngines.Cuda, found, null);
    }

    private static EngineProbe FindOpenCL()
    {
        if (!NativeLibraries.TryLoad(NativeLibraries.OpenCL, out var error))
        {
            return IlgpuEngines.OpenCL.Unavailable($"the OpenCL ICD loader is not installed ({error})");
        }
        var all = CLDevice.GetDevices(_ => true).Cast<CLDevice>().ToList();
        var usable = all.Where(d => d.Capabilities.GenericAddressSpace).ToList();
        var found = usable.Select((device, index) => Describe(IlgpuEngines.OpenCL,
            device.DeviceType == CLDeviceType.CL_DEVICE_TYPE_GPU ? DeviceType.Gpu : DeviceType.Cpu, device, index,
            $"{device.Vendor}, ILGPU {ILGPU.Context.Version} OpenCL C, {device.CVersion}")).ToList();
        if (found.Count > 0)
        {
            return new EngineProbe(IlgpuEngines.OpenCL, found, null);
        }
        string reason = all.Count == 0
            ? "no OpenCL device is installed (e.g. apt-get install pocl-opencl-icd)"
            : string.Join("; ", all.Select(d => $"{d.Name} ({d.CVersion}) has no generic address space, which ILGPU's OpenCL backend needs"));
        return IlgpuEngines.OpenCL.Unavailable(reason);
    }

    private static DeviceInfo Describe(Engine engine, DeviceType type, ILGPU.Runtime.Device device, int index, string platform)
    {
        DeviceInfo info = null!;
        info = new DeviceInfo
        {
            Name = device.Name,
            Engine = engine,
            Id = engine.DeviceId(index.ToString(CultureInfo.InvariantCulture)),
            Type = type,
            Index = index,
            Platform = platform,
            MemoryBytes = device.MemorySize,
            MaxGroupSize = device.MaxNumThreadsPerGroup,
            WarpSize = device.WarpSize,
            SharedMemoryPerGroup = device.MaxSharedMemoryPerGroup,
            ComputeUnits = device.NumMultiprocessors,
            MaxAllocationBytes = device.MemorySize,
            // Read when called, after the record exists, so the accelerator gets this very entry.
            Open = () => new IlgpuAccelerator(info, index),
        };
        return info;
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        string? logical = name switch
        {
            "cuda" or "nvcuda" => NativeLibraries.Cuda,
            "OpenCL" or "opencl" => NativeLibraries.OpenCL,
            _ => null,
        };
        return logical is not null && NativeLibraries.TryLoad(logical, out _) ? NativeLibraries.Handle(logical) : 0;
    }
}
