using System.Globalization;

namespace GpuConvNet.Compute.Cuda;

/// <summary>Finds the CUDA devices on this machine (or says why there are none usable).</summary>
internal static class CudaBackend
{
    /// <summary>
    /// Loads the driver, initialises it and describes every device. Never throws: any failure becomes the
    /// backend's <see cref="EngineProbe.Unavailable"/> reason, so that a machine without NVIDIA hardware (or
    /// with a broken driver) still gets the other backends.
    /// </summary>
    public static EngineProbe Probe()
    {
        try
        {
            return ProbeCore();
        }
#pragma warning disable CA1031 // Probing must not throw, whatever the driver does; the reason is reported instead.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Unavailable($"probing the CUDA driver failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private static EngineProbe ProbeCore()
    {
        if (!NativeLibraries.TryLoad(NativeLibraries.Cuda, out string? driverError))
        {
            return Unavailable($"no NVIDIA driver ({driverError})");
        }
        int result = CudaNative.cuInit(0);
        if (result != CudaNative.Success)
        {
            // E.g. CUDA_ERROR_NO_DEVICE (no GPU), CUDA_ERROR_INSUFFICIENT_DRIVER, CUDA_ERROR_STUB_LIBRARY.
            return Unavailable($"the NVIDIA driver is present but cuInit failed: {Describe(result)}");
        }
        CudaNative.Check(CudaNative.cuDriverGetVersion(out int driverVersion), "cuDriverGetVersion");
        CudaNative.Check(CudaNative.cuDeviceGetCount(out int count), "cuDeviceGetCount");
        string driver = CudaNative.FormatVersion(driverVersion);
        if (count == 0)
        {
            return Unavailable($"the NVIDIA driver (CUDA {driver}) reports no CUDA devices");
        }
        // Without NVRTC no kernel can be built, so the devices are unusable: say so here, so that Best() moves on
        // to another backend instead of opening a device that fails at the first launch.
        if (!NativeLibraries.TryLoad(NativeLibraries.Nvrtc, out string? nvrtcError))
        {
            return Unavailable(
                $"{count} CUDA device{(count == 1 ? "" : "s")} found (driver CUDA {driver}), but NVRTC, the CUDA runtime compiler that builds kernels, " +
                $"is missing ({nvrtcError}); install it (e.g. the CUDA toolkit's libnvrtc) and make it findable (LD_LIBRARY_PATH)");
        }
        var nvrtc = NvrtcNative.Version();

        var devices = new DeviceInfo[count];
        for (int ordinal = 0; ordinal < count; ordinal++)
        {
            devices[ordinal] = Describe(ordinal, driver, nvrtc);
        }
        return new EngineProbe(CudaEngine.Instance, devices, null);
    }

    private static DeviceInfo Describe(int ordinal, string driver, Version nvrtc)
    {
        CudaNative.Check(CudaNative.cuDeviceGet(out int device, ordinal), "cuDeviceGet", $"ordinal {ordinal}");
        CudaNative.Check(CudaNative.cuDeviceTotalMem_v2(out nuint totalMemory, device), "cuDeviceTotalMem_v2");
        int major = CudaNative.Attribute(device, CudaNative.AttributeComputeCapabilityMajor, "COMPUTE_CAPABILITY_MAJOR");
        int minor = CudaNative.Attribute(device, CudaNative.AttributeComputeCapabilityMinor, "COMPUTE_CAPABILITY_MINOR");
        long memory = (long)totalMemory;
        DeviceInfo? info = null;
        info = new DeviceInfo
        {
            Name = CudaNative.DeviceName(device),
            Engine = CudaEngine.Instance,
            Id = CudaEngine.Instance.DeviceId(ordinal.ToString(CultureInfo.InvariantCulture)),
            Type = DeviceType.Gpu,
            Index = ordinal,
            Platform = $"CUDA driver {driver}, compute capability {major}.{minor}, NVRTC {nvrtc}",
            MemoryBytes = memory,
            MaxGroupSize = CudaNative.Attribute(device, CudaNative.AttributeMaxThreadsPerBlock, "MAX_THREADS_PER_BLOCK"),
            SharedMemoryPerGroup = CudaNative.Attribute(device, CudaNative.AttributeMaxSharedMemoryPerBlock, "MAX_SHARED_MEMORY_PER_BLOCK"),
            ComputeUnits = CudaNative.Attribute(device, CudaNative.AttributeMultiprocessorCount, "MULTIPROCESSOR_COUNT"),
            // cuMemAlloc has no per-allocation cap below the device's memory.
            MaxAllocationBytes = memory,
            Open = () => new CudaAccelerator(info!, ordinal),
        };
        return info;
    }

    private static string Describe(int result)
    {
        string? description = CudaNative.ErrorDescription(result);
        return $"{CudaNative.ErrorName(result)} ({result}){(description is null ? "" : ": " + description)}";
    }

    private static EngineProbe Unavailable(string reason) => CudaEngine.Instance.Unavailable(reason);
}
