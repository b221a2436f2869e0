using static GpuConvNet.Compute.OpenCL.OpenCLNative;

namespace GpuConvNet.Compute.OpenCL;

/// <summary>
/// Finds the OpenCL devices of the installed platforms. Devices are named by platform (<c>opencl:pocl:0</c>,
/// <c>opencl:nvidia:1</c>), so installing another platform, which the ICD loader may list first, renames nothing.
/// </summary>
internal static unsafe class OpenCLBackend
{
    /// <summary>
    /// Opens an accelerator on a device: the device entry, its platform and its cl_device_id.
    /// </summary>
    internal delegate Accelerator Opener(DeviceInfo device, nint platform, nint deviceId);

    private const string NoPlatform = "no OpenCL platform is installed (e.g. apt-get install pocl-opencl-icd)";

    /// <summary>
    /// Lists every usable OpenCL device, or says why there is none. Never throws: a machine without OpenCL, or
    /// with a broken driver, must still be able to use the other backends.
    /// </summary>
    public static EngineProbe Probe() =>
        Probe(OpenCLEngine.Instance, _ => true, (device, platform, id) => new OpenCLAccelerator(device, platform, id));

    /// <summary>
    /// The devices of the platforms <paramref name="accept"/> takes (by platform name), each opened by
    /// <paramref name="open"/>: our OpenCL engine takes every platform, another engine (Oclgrind) one of them.
    /// </summary>
    internal static EngineProbe Probe(Engine engine, Func<string, bool> accept, Opener open)
    {
        try
        {
            if (!NativeLibraries.TryLoad(NativeLibraries.OpenCL, out var error))
            {
                return engine.Unavailable($"the OpenCL ICD loader is not installed ({error})");
            }
            return Enumerate(engine, accept, open);
        }
        // A loader without some entry point, or a driver that fails in any unexpected way, must not take down the
        // caller (probing runs for every backend listing): the backend is simply unavailable, with the reason.
        catch (Exception e)
        {
            return engine.Unavailable($"OpenCL could not be queried: {e.Message}");
        }
    }

    private static EngineProbe Enumerate(Engine engine, Func<string, bool> accept, Opener open)
    {
        uint count;
        int status = clGetPlatformIDs(0, null, &count);
        // The ICD loader answers CL_PLATFORM_NOT_FOUND_KHR when no vendor .icd file names a working driver.
        if (status == PlatformNotFoundKhr || (status == Success && count == 0))
        {
            return engine.Unavailable(NoPlatform);
        }
        Check(status, "clGetPlatformIDs");
        var platforms = new nint[count];
        fixed (nint* p = platforms)
        {
            Check(clGetPlatformIDs(count, p, &count), "clGetPlatformIDs");
        }

        var devices = new List<DeviceInfo>();
        var problems = new List<string>();
        var keys = new List<string>();
        foreach (var platform in platforms.AsSpan(0, (int)count))
        {
            // One broken platform (a stale .icd file, a driver for absent hardware) must not hide the others.
            try
            {
                string platformName = PlatformString(platform, PlatformName);
                string key = UniqueKey(PlatformKey(platformName), keys);
                if (accept(platformName))
                {
                    AddDevices(engine, open, platform, platformName, key, devices, problems);
                }
            }
            catch (NativeCallException e)
            {
                problems.Add(e.Message);
            }
        }
        if (devices.Count > 0)
        {
            return new EngineProbe(engine, devices, null);
        }
        return engine.Unavailable(problems.Count > 0
            ? $"no usable OpenCL device: {string.Join("; ", problems)}"
            : $"none of the {count} installed OpenCL platforms has a device for {engine.Id}");
    }

    private static void AddDevices(Engine engine, Opener open, nint platform, string platformName, string key,
        List<DeviceInfo> devices, List<string> problems)
    {
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

        int inPlatform = 0;
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
            string deviceId = engine.DeviceId($"{key}:{inPlatform++}");
            devices.Add(Describe(engine, open, deviceId, platform, platformName, id, name, devices.Count));
        }
    }

    private static DeviceInfo Describe(Engine engine, Opener open, string deviceId, nint platform, string platformName,
        nint device, string name, int index)
    {
        ulong type = DeviceValue<ulong>(device, DeviceTypeInfo);
        DeviceInfo info = null!;
        info = new DeviceInfo
        {
            Name = name,
            Engine = engine,
            Id = deviceId,
            // A simulator or emulator says so in its name (Oclgrind's "Oclgrind Simulator", Intel's "FPGA Emulation
            // Device"); it is used only when named, never as "best" or as a bare "opencl".
            IsSimulator = engine.Has(EngineCapabilities.Simulator) || SaysSimulator(platformName) || SaysSimulator(name),
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
            Open = () => open(info, platform, device),
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

    /// <summary>
    /// The short name of a platform in device ids: <c>pocl</c>, <c>nvidia</c>, <c>amd</c>, <c>intel</c>,
    /// <c>apple</c>, <c>oclgrind</c>, <c>rusticl</c>, <c>clover</c>, else the first word of its name in lower case.
    /// </summary>
    internal static string PlatformKey(string platformName)
    {
        string[] known = ["nvidia", "amd", "intel", "apple", "oclgrind", "rusticl", "clover", "mali", "adreno", "powervr"];
        string lower = platformName.ToLowerInvariant();
        if (lower.Contains("portable computing language", StringComparison.Ordinal) || lower.Contains("pocl", StringComparison.Ordinal))
        {
            return "pocl";
        }
        string? match = known.FirstOrDefault(k => lower.Contains(k, StringComparison.Ordinal));
        if (match is not null)
        {
            return match;
        }
        string word = new(lower.TakeWhile(c => !char.IsWhiteSpace(c)).Where(char.IsAsciiLetterOrDigit).ToArray());
        return word.Length > 0 && !char.IsAsciiDigit(word[0]) ? word : "platform";
    }

    /// <summary><paramref name="key"/>, or key2, key3… when an earlier platform has it (two Intel platforms).</summary>
    private static string UniqueKey(string key, List<string> taken)
    {
        string unique = key;
        for (int n = 2; taken.Contains(unique); n++)
        {
            unique = key + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        taken.Add(unique);
        return unique;
    }

    private static bool SaysSimulator(string name) =>
        name.Contains("simulat", StringComparison.OrdinalIgnoreCase) || name.Contains("emulat", StringComparison.OrdinalIgnoreCase);

    private static long Clamp(ulong value) => (long)Math.Min(value, (ulong)long.MaxValue);
}
