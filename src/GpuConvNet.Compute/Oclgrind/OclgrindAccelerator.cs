using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using GpuConvNet.Compute.OpenCL;

namespace GpuConvNet.Compute.Oclgrind;

/// <summary>
/// An OpenCL accelerator on Oclgrind that turns Oclgrind's reports into errors: Oclgrind writes them to a log file,
/// this accelerator waits for each launch and reads what the launch added. Oclgrind reads its options from the
/// environment when a context is created, so they are set (in the native environment, which .NET's own
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not change on Unix) just before.
/// </summary>
public sealed partial class OclgrindAccelerator : OpenCLAccelerator
{
    /// <summary>Where Debian's package puts Oclgrind's ICD library.</summary>
    public const string IcdLibrary = "/usr/lib/oclgrind/liboclgrind-rt-icd.so";

    /// <summary>How to register Oclgrind with the ICD loader (its package does not).</summary>
    public const string IcdHint = $"echo {IcdLibrary} > /etc/OpenCL/vendors/oclgrind.icd";

    private static readonly Lock ContextGate = new();
    private readonly string logPath;
    private readonly List<OclgrindReport> reports = [];
    private readonly HashSet<string> replayed = new(StringComparer.Ordinal);
    private long logRead;

    private OclgrindAccelerator(DeviceInfo device, nint platform, nint deviceId, string logPath)
        : base(device, platform, deviceId) => this.logPath = logPath;

    /// <summary>
    /// When set, the first launch of each kernel is also written there as an <c>oclgrind-kernel</c> simulation
    /// (<see cref="OclgrindReplay"/>), for the checks that only run outside a .NET process (uninitialised values).
    /// </summary>
    public string? ReplayDirectory { get; set; }

    /// <summary>Every report Oclgrind made on this accelerator, in order (the first of a launch is its error's text).</summary>
    public IReadOnlyList<OclgrindReport> Reports => reports;


    internal static OclgrindAccelerator Open(DeviceInfo device, nint platform, nint deviceId)
    {
        string log = Path.Combine(Path.GetTempPath(), $"gpuconvnet-oclgrind-{Environment.ProcessId}-{Guid.NewGuid():N}.log");
        lock (ContextGate)
        {
            // Race detection and API checks on; uninitialised-value tracking stays off (it crashes Oclgrind 21.10 in
            // a .NET process); every report, not the first few.
            SetNative("OCLGRIND_DATA_RACES", "1");
            SetNative("OCLGRIND_CHECK_API", "1");
            SetNative("OCLGRIND_MAX_ERRORS", "1000");
            SetNative("OCLGRIND_LOG", log);
            return new OclgrindAccelerator(device, platform, deviceId, log);
        }
    }

    /// <inheritdoc />
    public override void Synchronize()
    {
        base.Synchronize();
        ThrowOnReport("the work queued");
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        File.Delete(logPath);
    }

    private protected override void LaunchCore(KernelDefinition kernel, Index3D extent, KernelConfig config, object?[] args)
    {
        // Lane loops pass chunk sizes the replay does not write: only the one-lane-per-index form is replayed.
        if (ReplayDirectory is { } directory && !LaneLoops && replayed.Add(kernel.Name))
        {
            OclgrindReplay.Write(this, directory, kernel, extent, config, args);
        }
        base.LaunchCore(kernel, extent, config, args);
    }

    private protected override void Launched(KernelDefinition kernel)
    {
        OclgrindSession.Launched(kernel.Name);
        // One launch at a time, so that a report names the kernel that caused it.
        base.Synchronize();
        ThrowOnReport($"kernel {kernel.Name}");
    }

    private void ThrowOnReport(string what)
    {
        string log = ReadNewLog();
        if (log.Length == 0)
        {
            return;
        }
        // Oclgrind separates its reports with a blank line; each starts unindented ("Read-write data race at …").
        var found = ReportStart().Split(log).Select(r => r.Trim()).Where(r => r.Length > 0).ToList();
        var made = found.Select(text => new OclgrindReport(what, text)).ToList();
        reports.AddRange(made);
        OclgrindSession.Reported(made);
        string more = found.Count > 1 ? $"\n(and {found.Count - 1} more report{(found.Count == 2 ? "" : "s")} of this launch)" : "";
        throw new KernelExecutionException($"Oclgrind reports an error in {what} on {Name}:\n{found[0]}{more}");
    }

    [GeneratedRegex(@"\n\s*\n(?=\S)")]
    private static partial Regex ReportStart();

    private string ReadNewLog()
    {
        if (!File.Exists(logPath))
        {
            return "";
        }
        using var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length <= logRead)
        {
            return "";
        }
        stream.Position = logRead;
        // A runaway kernel can report millions of times: the first 64 KiB of a launch's reports say what is wrong.
        var buffer = new byte[(int)Math.Min(stream.Length - logRead, 64 * 1024)];
        stream.ReadExactly(buffer);
        logRead = stream.Length;
        return Encoding.UTF8.GetString(buffer).Trim();
    }

    private static void SetNative(string name, string value)
    {
        if (OperatingSystem.IsWindows())
        {
            Environment.SetEnvironmentVariable(name, value);
            return;
        }
        if (OclgrindNative.setenv(name, value, 1) != 0)
        {
            throw new ComputeException($"setenv({name}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }
}

/// <summary>One report of Oclgrind's.</summary>
/// <param name="Where">The launch it came from (<c>kernel Type.Method</c>) or <c>the work queued</c>.</param>
/// <param name="Text">Oclgrind's words: what, where in memory, which work-items, which line of the OpenCL C.</param>
public sealed record OclgrindReport(string Where, string Text);
