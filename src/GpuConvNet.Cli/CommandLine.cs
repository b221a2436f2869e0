using System.CommandLine;
using GpuConvNet.Compute;
using Spectre.Console;

namespace GpuConvNet.Cli;

/// <summary>
/// Runs the command tree with the project's conventions: a bad argument is one line on stderr and exit code 2; a
/// user-input or device problem is one line and exit code 1; never a stack trace for either.
/// </summary>
public static partial class CommandLine
{
    /// <summary>Exit code for bad arguments.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code for input or device failures.</summary>
    public const int Failure = 1;

    /// <summary>Parses <paramref name="args"/> and runs the chosen command.</summary>
    public static int Run(Command root, string[] args)
    {
        ArgumentNullException.ThrowIfNull(root);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"gpuconvnet: {string.Join("; ", parsed.Errors.Select(e => OneLine(WithoutTypeNames(e.Message))))} (see gpuconvnet --help)");
            return UsageError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is UserInputException or ComputeException or ArgumentException or IOException or UnauthorizedAccessException
            or Training.TrainingDivergedException)
        {
            // .NET appends " (Parameter 'name')" to an ArgumentException's message: the user named no parameter.
            string message = e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
            Console.Error.WriteLine($"gpuconvnet: {OneLine(message)}");
            return e is ArgumentException ? UsageError : Failure;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("GPUCONVNET_DEBUG") is not "1")
        {
            // A bug of ours, not the user's input: one line, and how to get the details for a report.
            Console.Error.WriteLine($"gpuconvnet: internal error ({e.GetType().Name}): {OneLine(e.Message)} — run again with GPUCONVNET_DEBUG=1 for the stack trace");
            return Failure;
        }
    }

    /// <summary>
    /// <paramref name="message"/> on one line. System.CommandLine lists choices one per line ("Must be one of:\n\t'a'\n\t'b'",
    /// "Did you mean one of the following?\nAdam\nSgd"): the first line, then the others comma-separated.
    /// </summary>
    public static string OneLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var lines = message.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return lines.Length <= 1 ? string.Concat(lines) : $"{lines[0]} {string.Join(", ", lines.Skip(1))}";
    }

    /// <summary>
    /// System.CommandLine's "… as expected type 'System.Nullable`1[System.Int32]'." in the user's words ("… : expected a
    /// whole number from −2,147,483,648 to 2,147,483,647").
    /// </summary>
    public static string WithoutTypeNames(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ExpectedType().Replace(message, match => match.Groups[1].Value switch
        {
            var t when t.Contains("Int32", StringComparison.Ordinal) => ": expected a whole number up to 2147483647",
            var t when t.Contains("Double", StringComparison.Ordinal) || t.Contains("Single", StringComparison.Ordinal) => ": expected a number",
            _ => ": expected another kind of value",
        });
    }

    [System.Text.RegularExpressions.GeneratedRegex(@" as expected type '([^']+)'\.?")]
    private static partial System.Text.RegularExpressions.Regex ExpectedType();

    /// <summary>Opens the accelerator an <c>--device</c> option names, saying which one it is unless <paramref name="quiet"/> (machine-readable output stays clean).</summary>
    public static Accelerator OpenDevice(string id, bool quiet = false)
    {
        var device = Accelerators.Find(id);
        if (!quiet)
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]device:[/] {device.Id} {device.Name}");
        }
        return device.Open();
    }
}
