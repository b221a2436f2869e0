using System.Globalization;

namespace GpuConvNet.Cli;

/// <summary>Numbers with their nouns, in English: "1 epoch", "2 epochs", "1,000 images".</summary>
public static class Words
{
    /// <summary><paramref name="count"/> and <paramref name="noun"/>, plural unless the count is one.</summary>
    public static string Count(long count, string noun, string? plural = null)
    {
        ArgumentNullException.ThrowIfNull(noun);
        string word = count == 1 ? noun : plural ?? noun + "s";
        return string.Create(CultureInfo.InvariantCulture, $"{count:N0} {word}");
    }
}
