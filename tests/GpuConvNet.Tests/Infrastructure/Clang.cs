using System.Diagnostics;

namespace GpuConvNet.Tests.Infrastructure;

/// <summary>
/// clang-14, which compiles generated device code where there is no device: CUDA C to PTX, OpenCL C to SPIR. Without
/// it the calling test is Inconclusive, and fails under CI (which installs it).
/// </summary>
public static class Clang
{
    /// <summary>The compiler's command.</summary>
    public const string Program = "clang-14";

    /// <summary>Runs clang-14 with <paramref name="arguments"/>; its exit code and everything it printed.</summary>
    public static (int ExitCode, string Output) Run(string[] arguments)
    {
        var start = new ProcessStartInfo(Program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            string message = $"{Program} is not installed ({e.Message}); apt-get install clang-14";
            if (Backends.UnderCi)
            {
                Assert.Fail(message);
            }
            Assert.Inconclusive(message);
            throw;
        }
        using (process)
        {
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
    }
}
