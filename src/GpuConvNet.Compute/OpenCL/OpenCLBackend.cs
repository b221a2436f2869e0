using static GpuConvNet.Compute.OpenCL.OpenCLNative;

namespace GpuConvNet.Compute.OpenCL;

/// <summary>Finds the OpenCL devices of every installed platform.</summary>
internal static unsafe class OpenCLBackend
{
    private const string NoPlatform = "no OpenCL platform is installed (e.g. apt-get install pocl-opencl-icd)";

    /// <summary>
    /// Lists every usable OpenCL device, or says why there is none. Never throws: a machine without OpenCL, or
    /// with a broken driver, must still be able to use the other backends.
    /// </summary>
    public static BackendProbe Probe()
    {
        try
        {
            if (!NativeLibraries.TryLoad(NativeLibraries.OpenCL, out var error))
            {
                return Unavailable($"the OpenCL ICD loader is not installed ({error})");
            }
            return Enumerate();
        }
        // A loader without some entry point, or a driver that fails in any unexpected way, must not take down the
        // caller (probing runs for every backend listing): the backend is simply unavailable, with the reason.
        catch (Exception e)
        {
            return Unavailable($"OpenCL could not be queried: {e.Message}");
        }
    }

    private static BackendProbe Enumerate()
    {
        uint count;
        int status = clGetPlatformIDs(0, null, &count);
        // The ICD loader answers CL_PLATFORM_NOT_FOUND_KHR when no vendor .icd file names a working driver.
        if (status == PlatformNotFoundKhr || (status == Success && count == 0))
        {
            return Unavailable(NoPlatform);
        }
        Check(status, "clGetPlatformIDs");
        var platforms = new nint[count];
        fixed (nint* p = platforms)
        {
            Check(clGetPlatformIDs(count, p, &count), "clGetPlatformIDs");
        }

        var devices = new List<DeviceInfo>();
        var problems = new List<string>();
        foreach (var platform in platforms.AsSpan(0, (int)count))
        {
            // One broken platform (a stale .icd file, a driver for absent hardware) must not hide the others.
            try
            {
                AddDevices(platform, devices, problems);
            }
            catch (NativeCallException e)
            {
                problems.Add(e.Message);
            }
        }
        if (devices.Count > 0)
        {
            return new BackendProbe(AcceleratorKind.OpenCL, devices, null);
        }
        return Unavailable(problems.Count > 0
            ? $"no usable OpenCL device: {string.Join("; ", problems)}"
            : "the installed OpenCL platforms have no devices");
    }

    private static void AddDevices(nint platform, List<DeviceInfo> devices, List<string> problems)
    {
        string platformName = PlatformString(platform, PlatformName);
        uint count;
        int status = clGetDeviceIDs(platform, DeviceTypeAll, 0, null, &count);
        if (status == DeviceNotFound || (status == Success && count == 0))
        {
            problems.Add($"{platformName} has no devices");
            return;
        }
        Check(status, "clGetDeviceIDs", platformName);
        var ids = new nint[count];
        fixed (nint* p = ids)
        {
            Check(clGetDeviceIDs(platform, DeviceTypeAll, count, p, &count), "clGetDeviceIDs", platformName);
        }

        foreach (var id in ids.AsSpan(0, (int)count))
        {
            string name = DeviceString(id, DeviceName);
            if (DeviceValue<uint>(id, DeviceAvailable) == 0)
            {
                problems.Add($"{name} ({platformName}) is not available");
                continue;
            }
            // Kernels are built with -cl-std=CL1.2, which a 1.0/1.1 compiler rejects.
            string cVersion = DeviceString(id, DeviceOpenCLCVersion);
            if (!SupportsOpenCLC12(cVersion))
            {
                problems.Add($"{name} ({platformName}) supports only {cVersion}; OpenCL C 1.2 is needed");
                continue;
            }
            devices.Add(Describe(platform, platformName, id, name, devices.Count));
        }
    }

    private static DeviceInfo Describe(nint platform, string platformName, nint device, string name, int index)
    {
        ulong type = DeviceValue<ulong>(device, DeviceTypeInfo);
        DeviceInfo info = null!;
        info = new DeviceInfo
        {
            Name = name,
            Kind = AcceleratorKind.OpenCL,
            Type = (type & DeviceTypeGpu) != 0 ? DeviceType.Gpu
                : (type & DeviceTypeCpu) != 0 ? DeviceType.Cpu
                : DeviceType.Other,
            Index = index,
            Platform = $"{DeviceString(device, DeviceVendor)}, {platformName}, driver {DeviceString(device, DriverVersion)}",
            MemoryBytes = Clamp(DeviceValue<ulong>(device, DeviceGlobalMemSize)),
            MaxGroupSize = (int)Math.Min(DeviceValue<nuint>(device, DeviceMaxWorkGroupSize), (nuint)int.MaxValue),
            SharedMemoryPerGroup = Clamp(DeviceValue<ulong>(device, DeviceLocalMemSize)),
            ComputeUnits = (int)DeviceValue<uint>(device, DeviceMaxComputeUnits),
            MaxAllocationBytes = Clamp(DeviceValue<ulong>(device, DeviceMaxMemAllocSize)),
            // The closure reads `info` when called, after the record exists, so the accelerator gets this very entry.
            Open = () => new OpenCLAccelerator(info, platform, device),
        };
        return info;
    }

    /// <summary>True for "OpenCL C 1.2 …" or any later version.</summary>
    internal static bool SupportsOpenCLC12(string version)
    {
        var parts = version.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3 || !Version.TryParse(parts[2], out var parsed))
        {
            // An unparsable answer is the driver's oddity, not proof of an old compiler: let the build decide.
            return true;
        }
        return parsed >= new Version(1, 2);
    }

    private static long Clamp(ulong value) => (long)Math.Min(value, (ulong)long.MaxValue);

    private static BackendProbe Unavailable(string reason) => new(AcceleratorKind.OpenCL, [], reason);
}
