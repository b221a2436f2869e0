using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using static GpuConvNet.Compute.OpenCL.OpenCLNative;

namespace GpuConvNet.Compute.OpenCL;

/// <summary>Builds a kernel's generated OpenCL C with the device's compiler (<c>clBuildProgram</c>) into a kernel object.</summary>
internal static unsafe partial class OpenCLCompiler
{
    // Strict IEEE single precision: results are compared with a float64 reference, so no -cl-fast-relaxed-math.
    // -w: a vectorisation hint the compiler could not follow is not the user's concern, and drivers print warnings to stderr.
    private const string BuildOptions = "-cl-std=CL1.2 -w";

    // Enough cited source lines to locate every error of a typical failure without flooding the message.
    private const int MaxCitedLines = 20;

    /// <summary>Builds <paramref name="kernel"/>'s OpenCL C for one device; a build error names the kernel, with the log and the cited lines.</summary>
    public static CompiledKernel Build(nint context, nint deviceId, string deviceName, long deviceMaxGroup, KernelDefinition kernel,
        string openCLSource, string entryPoint)
    {
        byte[] source = Utf8Z(openCLSource);
        int status;
        nint program;
        fixed (byte* s = source)
        {
            byte* strings = s;
            nuint length = (nuint)(source.Length - 1);
            program = clCreateProgramWithSource(context, 1, &strings, &length, &status);
        }
        Check(status, "clCreateProgramWithSource", $"kernel {kernel.Name}");
        nint handle = 0;
        try
        {
            nint device = deviceId;
            fixed (byte* options = Utf8Z(BuildOptions))
            {
                status = clBuildProgram(program, 1, &device, options, 0, 0);
            }
            if (status != Success)
            {
                throw new KernelCompilationException(kernel.Name, BuildFailure(kernel, openCLSource, program, deviceId, deviceName, status));
            }
            fixed (byte* entry = Utf8Z(entryPoint))
            {
                handle = clCreateKernel(program, entry, &status);
            }
            if (status != Success)
            {
                throw new KernelCompilationException(kernel.Name,
                    $"clCreateKernel failed: {ErrorName(status)} ({status}): its OpenCL source was built, but " +
                    $"'{entryPoint}' could not be made a kernel of it (is it a __kernel of that name?)");
            }
            nuint groupLimit;
            Check(clGetKernelWorkGroupInfo(handle, deviceId, KernelWorkGroupSize, (nuint)sizeof(nuint), &groupLimit, null),
                "clGetKernelWorkGroupInfo", $"kernel {kernel.Name}");
            long maxGroup = Math.Min(deviceMaxGroup, (long)Math.Min(groupLimit, (nuint)int.MaxValue));
            return new CompiledKernel(program, handle, maxGroup);
        }
        catch
        {
            // Whatever failed, the half-made objects must not leak: a failed build is often retried after a fix.
            if (handle != 0)
            {
                _ = clReleaseKernel(handle);
            }
            _ = clReleaseProgram(program);
            throw;
        }
    }

    private static string BuildFailure(KernelDefinition kernel, string openCLSource, nint program, nint deviceId, string deviceName, int status)
    {
        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"clBuildProgram failed: {ErrorName(status)} ({status}) on {deviceName}");
        string log = BuildLog(program, deviceId);
        if (log.Length == 0)
        {
            message.Append(" (the driver gave no build log)");
            return message.ToString();
        }
        message.Append("\nbuild log:\n");
        foreach (var line in log.Split('\n'))
        {
            message.Append("  ").Append(line.TrimEnd('\r')).Append('\n');
        }

        var sourceLines = openCLSource.Split('\n');
        var cited = new List<int>();
        foreach (Match match in CitedLocation().Matches(log))
        {
            var group = match.Groups[1].Success ? match.Groups[1] : match.Groups[2];
            if (int.TryParse(group.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int number) &&
                number >= 1 && number <= sourceLines.Length && !cited.Contains(number))
            {
                cited.Add(number);
            }
        }
        if (cited.Count > 0)
        {
            message.Append("generated source at the cited lines:\n");
            foreach (int number in cited.Take(MaxCitedLines))
            {
                message.Append(CultureInfo.InvariantCulture, $"  {number,5} | {sourceLines[number - 1].TrimEnd('\r')}\n");
            }
            if (cited.Count > MaxCitedLines)
            {
                message.Append(CultureInfo.InvariantCulture, $"  … and {cited.Count - MaxCitedLines} more\n");
            }
        }
        return message.ToString().TrimEnd('\n');
    }

    private static string BuildLog(nint program, nint deviceId)
    {
        nuint size;
        if (clGetProgramBuildInfo(program, deviceId, ProgramBuildLog, 0, null, &size) != Success || size == 0)
        {
            return "";
        }
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes)
        {
            if (clGetProgramBuildInfo(program, deviceId, ProgramBuildLog, size, p, null) != Success)
            {
                return "";
            }
        }
        return FromUtf8Z(bytes);
    }

    // Clang-based compilers (PoCL, NVIDIA, Intel, recent AMD) cite "file:LINE:COL:"; older AMD ones ", line LINE:".
    [GeneratedRegex(@":(\d+):\d+:|, line (\d+)")]
    private static partial Regex CitedLocation();

    /// <summary>A built program, its kernel, and the most lanes a group of it may have on the device.</summary>
    internal sealed record CompiledKernel(nint Program, nint Kernel, long MaxGroupSize);
}
