using System.Diagnostics;

namespace GpuConvNet.Tests.Infrastructure;

/// <summary>
/// The command line (GpuConvNet.Cli.dll, built beside the tests) run as a process of its own, alone or as N ranks of
/// Open MPI's <c>mpirun</c> (<c>--oversubscribe</c>: more ranks than cores; <c>--allow-run-as-root</c>: CI runs as
/// root). Without mpirun the calling test is Inconclusive, and fails under CI (which installs Open MPI).
/// </summary>
public static class MpiRun
{
    /// <summary>Longest a run may take before it is killed and the test fails.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    private static string Cli => Path.Combine(AppContext.BaseDirectory, "GpuConvNet.Cli.dll");

    /// <summary>Runs <c>gpuconvnet <paramref name="arguments"/></c> as <paramref name="ranks"/> ranks; its exit code and output.</summary>
    public static (int ExitCode, string Output) Ranks(int ranks, params string[] arguments) => Wait(Start(ranks, arguments));

    /// <summary>Runs <c>gpuconvnet <paramref name="arguments"/></c> as one process, without MPI; its exit code and output.</summary>
    public static (int ExitCode, string Output) Alone(params string[] arguments) => Wait(Launch("dotnet", [Cli, .. arguments]));

    /// <summary>Starts <paramref name="ranks"/> ranks of <c>gpuconvnet <paramref name="arguments"/></c>; <see cref="Wait"/> ends it.</summary>
    public static RunningJob Start(int ranks, params string[] arguments)
    {
        RequireMpirun();
        return Launch("mpirun", ["--allow-run-as-root", "--oversubscribe", "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "dotnet", Cli, .. arguments]);
    }

    /// <summary>
    /// Starts one job of two ranks whose arguments differ, as mpirun's MPMD form does
    /// (<c>mpirun -np 1 A : -np 1 B</c>).
    /// </summary>
    public static (int ExitCode, string Output) TwoDifferentRanks(string[] rank0, string[] rank1)
    {
        RequireMpirun();
        return Wait(Launch("mpirun", ["--allow-run-as-root", "--oversubscribe", "-np", "1", "dotnet", Cli, .. rank0, ":", "-np", "1", "dotnet", Cli, .. rank1]));
    }

    /// <summary>Waits for <paramref name="job"/> to end (killing it after <see cref="Limit"/>); its exit code and output.</summary>
    public static (int ExitCode, string Output) Wait(RunningJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        using (job)
        {
            if (!job.Process.WaitForExit(Limit))
            {
                job.Process.Kill(entireProcessTree: true);
                Assert.Fail($"the run took longer than {Limit.TotalMinutes} minutes: {job.Output}");
            }
            job.Process.WaitForExit();
            return (job.Process.ExitCode, job.Output);
        }
    }

    private static RunningJob Launch(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Plain text: the tests read the output.
        start.Environment["NO_COLOR"] = "1";
        // Open MPI's shared-memory transport copies between ranks with process_vm_readv where it can, which containers
        // often forbid (ptrace restrictions: every message then fails); the tests' messages are small, so plain copies.
        start.Environment["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none";
        return new RunningJob(Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start"));
    }

    private static void RequireMpirun()
    {
        bool found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "mpirun")));
        if (found)
        {
            return;
        }
        const string message = "mpirun is not installed: apt-get install openmpi-bin libopenmpi-dev";
        if (Backends.UnderCi)
        {
            Assert.Fail(message);
        }
        Assert.Inconclusive(message);
    }
}

/// <summary>A started run whose output is collected as it comes (a full pipe would stall the ranks).</summary>
public sealed class RunningJob : IDisposable
{
    private readonly System.Text.StringBuilder output = new();

    /// <summary>Starts collecting <paramref name="process"/>'s output.</summary>
    public RunningJob(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        Process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The process: mpirun, or the command line alone.</summary>
    public Process Process { get; }

    /// <summary>Everything printed so far, stdout and stderr interleaved.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>The ids of the ranks mpirun started (its child processes).</summary>
    public IReadOnlyList<int> Ranks() => [.. Directory.EnumerateDirectories("/proc")
        .Select(d => int.TryParse(Path.GetFileName(d), out int pid) ? pid : 0)
        .Where(pid => pid > 0 && ParentOf(pid) == Process.Id)];

    /// <inheritdoc />
    public void Dispose() => Process.Dispose();

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    // /proc/<pid>/stat: "pid (name) state ppid …"; the name may hold spaces, so read after its closing parenthesis.
    private static int ParentOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
