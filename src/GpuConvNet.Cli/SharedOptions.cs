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
    /// <paramref name="option"/>'s value for a command validator; false when it was not given (its default applies) or
    /// its text does not convert (e.g.
    /// <c>--epochs many</c>). The parser reports that as an error of its own, whereas
    /// <see cref="SymbolResult.GetValue{T}(Option{T})"/> would throw out of <c>Parse</c> — validators run even then.
    /// </summary>
    public static bool TryGetValue<T>(CommandResult result, Option<T> option, out T? value)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.GetResult(option) is not { Implicit: false })
        {
            // Not on the command line: the option's own default applies, and defaults are valid.
            value = default;
            return false;
        }
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

    /// <summary>
    /// Creates <paramref name="directory"/> and proves it writable before anything slow happens, so that a bad
    /// <c>--out</c> (an existing file, a read-only folder) is told in one line instead of after an epoch.
    /// </summary>
    public static void RequireWritableDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        try
        {
            Directory.CreateDirectory(directory);
            string probe = Path.Combine(directory, $".gpuconvnet-write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"--out {directory}: cannot write there ({e.Message})", e);
        }
    }

    /// <summary>
    /// <paramref name="text"/> from a file (a checkpoint's metadata, a name) made safe for a terminal: control characters,
    /// which could move the cursor or rewrite the screen, are written as \u escapes.
    /// </summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(char.IsControl))
        {
            return text;
        }
        var builder = new System.Text.StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }
        return builder.ToString();
    }
}
