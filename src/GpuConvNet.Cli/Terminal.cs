using Spectre.Console;

namespace GpuConvNet.Cli;

/// <summary>
/// The console that output goes through, set up for where it goes: a terminal gets colour and its real width; a
/// pipe or file, or any output with <c>NO_COLOR</c> set (https://no-color.org) or <c>TERM=dumb</c>, gets plain text
/// without escape codes; a pipe gets tables as wide as their content (or <c>COLUMNS</c>), never squashed to 80
/// columns with paths wrapped over several lines.
/// </summary>
public static class Terminal
{
    /// <summary>Width for output that is not a terminal and has no <c>COLUMNS</c>: wide enough that no table wraps.</summary>
    public const int UnlimitedWidth = 4096;

    /// <summary>Makes <see cref="AnsiConsole.Console"/> the console for this process's standard output.</summary>
    public static void Configure() => AnsiConsole.Console = Create(Console.Out, Console.IsOutputRedirected,
        Environment.GetEnvironmentVariable, Console.IsOutputRedirected ? null : WindowWidth());

    /// <summary>
    /// A console writing to <paramref name="output"/>; <paramref name="redirected"/> says whether that is a pipe or a
    /// file; <paramref name="environment"/> reads variables; <paramref name="terminalWidth"/> is the terminal's width.
    /// </summary>
    public static IAnsiConsole Create(TextWriter output, bool redirected, Func<string, string?> environment, int? terminalWidth)
    {
        ArgumentNullException.ThrowIfNull(environment);
        bool plain = redirected || !string.IsNullOrEmpty(environment("NO_COLOR")) || environment("TERM") == "dumb";
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(output),
        });
        int? columns = int.TryParse(environment("COLUMNS"), out int c) && c > 0 ? c : null;
        console.Profile.Width = terminalWidth ?? columns ?? UnlimitedWidth;
        return console;
    }

    private static int? WindowWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
