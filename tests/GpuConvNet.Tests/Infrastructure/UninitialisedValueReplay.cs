using System.Diagnostics;

namespace GpuConvNet.Tests.Infrastructure;

/// <summary>
/// Oclgrind's uninitialised-value check, which cannot run inside a .NET process (Oclgrind 21.10 crashes it), run on
/// the launches the sanitizer engine recorded (<c>OclgrindAccelerator.ReplayDirectory</c>): each with
/// <c>oclgrind-kernel --uninitialized</c>, two at a time, each in a time box.
/// </summary>
public static class UninitialisedValueReplay
{
    /// <summary>Where the tests' Oclgrind accelerator records its first launch of each kernel.</summary>
    public static string Directory { get; } = Path.Combine(Path.GetTempPath(), $"gpuconvnet-oclgrind-replay-{Environment.ProcessId}");

    /// <summary>What the replays found.</summary>
    /// <param name="Replayed">Simulations run to the end.</param>
    /// <param name="TimedOut">Simulations stopped at their time box (their kernel is not checked).</param>
    /// <param name="Reports">Per kernel, Oclgrind's first report of an uninitialised value, for the kernels that have one.</param>
    public sealed record Result(int Replayed, IReadOnlyList<string> TimedOut, IReadOnlyDictionary<string, string> Reports);

    /// <summary>
    /// Runs every simulation recorded in <paramref name="directory"/>, then deletes it; null when nothing was recorded
    /// or <c>oclgrind-kernel</c> is missing.
    /// </summary>
    public static Result? Run(string directory, TimeSpan perKernel)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            return null;
        }
        var simulations = System.IO.Directory.GetFiles(directory, "*.sim").Order(StringComparer.Ordinal).ToList();
        var reports = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var timedOut = new System.Collections.Concurrent.ConcurrentBag<string>();
        int replayed = 0;
        try
        {
            Parallel.ForEach(simulations, new ParallelOptions { MaxDegreeOfParallelism = 2 }, simulation =>
            {
                string kernel = Path.GetFileNameWithoutExtension(simulation);
                var (finished, output) = Replay(simulation, perKernel);
                if (!finished)
                {
                    timedOut.Add(kernel);
                    return;
                }
                Interlocked.Increment(ref replayed);
                int at = output.IndexOf("Uninitialized value", StringComparison.Ordinal);
                if (at >= 0)
                {
                    reports[kernel] = output[at..].Split("\n\n")[0];
                }
            });
        }
        catch (AggregateException e) when (e.InnerException is System.ComponentModel.Win32Exception)
        {
            return null; // no oclgrind-kernel on this machine
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        return new Result(replayed, timedOut.Order(StringComparer.Ordinal).ToList(), reports);
    }

    private static (bool Finished, string Output) Replay(string simulation, TimeSpan limit)
    {
        var start = new ProcessStartInfo("oclgrind-kernel", ["--uninitialized", Path.GetFileName(simulation)])
        {
            WorkingDirectory = Path.GetDirectoryName(simulation)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (false, "");
        }
        return (true, stderr.Result + stdout.Result);
    }
}
