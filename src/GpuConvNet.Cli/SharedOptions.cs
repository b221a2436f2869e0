using System.CommandLine;
using GpuConvNet.Data;
using Spectre.Console;

namespace GpuConvNet.Cli;

/// <summary>Options several commands share, and their behaviour.</summary>
public static class SharedOptions
{
    /// <summary>--device: which accelerator.</summary>
    public static Option<string> Device() => new("--device", "-d")
    {
        Description = "Accelerator: best, cpu, opencl[:N] or cuda[:N] (see 'gpuconvnet devices')",
        DefaultValueFactory = _ => "best",
    };

    /// <summary>--data: a local MNIST copy.</summary>
    public static Option<string?> Data() => new("--data")
    {
        Description = $"Folder holding the four MNIST .gz (or raw IDX) files; default: ${MnistOptions.DataVariable}, else the per-user cache (downloaded on first use)",
    };

    /// <summary>Loads MNIST, showing download progress if files must be fetched.</summary>
    public static MnistData LoadMnist(string? directory)
    {
        long lastShown = -1;
        var data = Mnist.Load(directory, p =>
        {
            // Progress comes every 64 KiB, possibly from a pool thread: show each MiB.
            long mib = p.BytesReceived >> 20;
            if (Interlocked.Exchange(ref lastShown, mib) != mib)
            {
                AnsiConsole.MarkupLineInterpolated($"[grey]downloading {p.FileName} from {p.Source.Host}: {mib} MiB[/]");
            }
        });
        AnsiConsole.MarkupLineInterpolated($"[grey]data:[/] {data.Directory} ({data.Train.Count:N0} training, {data.Test.Count:N0} test images)");
        return data;
    }
}
