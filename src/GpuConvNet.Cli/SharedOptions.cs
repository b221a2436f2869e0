using GpuConvNet.Compute;
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
        Description = $"Accelerator: {Engines.IdPatterns}, or a device id such as opencl:pocl:0 (see 'gpuconvnet devices')",
        DefaultValueFactory = _ => "best",
    };

    /// <summary>The checkpoint argument, the same in every command that reads one.</summary>
    public static Argument<string> Checkpoint() => new("checkpoint") { Description = "A .safetensors checkpoint written by 'gpuconvnet train', or an .onnx model" };

    /// <summary>
    /// An option taking one of <paramref name="choices"/> (lower-case words, listed in the help as
    /// <c>&lt;a|b|c&gt;</c>); without a default it is null when not given.
    /// </summary>
    public static Option<string?> Choice(string name, string description, IReadOnlyList<string> choices, string? defaultChoice = null, params string[] aliases)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var option = new Option<string?>(name, aliases) { Description = description };
        if (defaultChoice is not null)
        {
            option.DefaultValueFactory = _ => defaultChoice;
        }
        option.AcceptOnlyFromAmong([.. choices]);
        return option;
    }

    /// <summary>The enum member named <paramref name="choice"/> (as <see cref="Choice"/> lists it: lower-case), or null.</summary>
    public static T? ToEnum<T>(string? choice) where T : struct, Enum =>
        choice is null ? null : Enum.Parse<T>(choice.Replace("-", "", StringComparison.Ordinal), ignoreCase: true);

    /// <summary>The lower-case names of <typeparamref name="T"/>'s members, for <see cref="Choice"/>.</summary>
    public static IReadOnlyList<string> Names<T>() where T : struct, Enum => [.. Enum.GetNames<T>().Select(n => n.ToLowerInvariant())];

    /// <summary>
    /// A training default that depends on the model, as help shows it: "[default: 64]" when every model agrees,
    /// else "[default: the model's: mlp-small 10, mlp 100, …]".
    /// </summary>
    public static string PerModelDefault(Func<Nn.TrainingDefaults, object> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var values = Nn.ModelZoo.All.Select(r => (r.Name, Text: Lower(value(r.Defaults)))).ToList();
        return values.Select(v => v.Text).Distinct().Count() == 1
            ? $"[default: {values[0].Text}]"
            : $"[default: the model's: {string.Join(", ", values.Select(v => $"{v.Name} {v.Text}"))}]";
    }

    private static string Lower(object value) => value switch
    {
        Enum e => e.ToString().ToLowerInvariant(),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
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
