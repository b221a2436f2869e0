using System.CommandLine;
using System.CommandLine.Parsing;
using GpuConvNet.Data;
using Spectre.Console;

namespace GpuConvNet.Cli;

/// <summary>Options several commands share, and their behaviour.</summary>
public static class SharedOptions
{
    /// <summary>--device: which accelerator.</summary>
    public static Option<string> Device() => new("--device", "-d")
    {
        Description = "Accelerator: best, cpu, opencl[:N], cuda[:N], or ILGPU's ilgpu-cpu, ilgpu-cuda[:N], ilgpu-opencl[:N] (see 'gpuconvnet devices')",
        DefaultValueFactory = _ => "best",
    };

    /// <summary>--data: a local MNIST copy.</summary>
    public static Option<string?> Data() => new("--data")
    {
        Description = $"Folder holding the four MNIST .gz (or raw IDX) files; default: ${MnistOptions.DataVariable}, else the per-user cache (downloaded on first use)",
    };

    /// <summary>
    /// <paramref name="option"/>'s value for a command validator; false when its text does not convert (e.g.
    /// <c>--epochs many</c>). The parser reports that as an error of its own, whereas
    /// <see cref="SymbolResult.GetValue{T}(Option{T})"/> would throw out of <c>Parse</c> — validators run even then.
    /// </summary>
    public static bool TryGetValue<T>(CommandResult result, Option<T> option, out T? value)
    {
        ArgumentNullException.ThrowIfNull(result);
        try
        {
            value = result.GetValue(option);
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

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
