using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace GpuConvNet.Compute.Generator.Tests.Infrastructure;

/// <summary>
/// Source with expected diagnostic locations marked as <c>[|text|]</c>: <see cref="Parse"/> strips the marks and
/// returns where each marked text lies in the stripped source.
/// </summary>
internal static class Markup
{
    private const string Open = "[|";
    private const string Close = "|]";

    public static (string Source, IReadOnlyList<TextSpan> Spans) Parse(string marked)
    {
        var source = new StringBuilder();
        var spans = new List<TextSpan>();
        int position = 0;
        while (true)
        {
            int open = marked.IndexOf(Open, position, StringComparison.Ordinal);
            if (open < 0)
            {
                break;
            }
            int close = marked.IndexOf(Close, open + Open.Length, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ArgumentException("unclosed [| in test source: " + marked, nameof(marked));
            }
            source.Append(marked, position, open - position);
            int start = source.Length;
            source.Append(marked, open + Open.Length, close - open - Open.Length);
            spans.Add(TextSpan.FromBounds(start, source.Length));
            position = close + Close.Length;
        }
        source.Append(marked, position, marked.Length - position);
        if (marked.IndexOf(Close, position, StringComparison.Ordinal) >= 0)
        {
            throw new ArgumentException("|] without [| in test source: " + marked, nameof(marked));
        }
        return (source.ToString(), spans);
    }
}
