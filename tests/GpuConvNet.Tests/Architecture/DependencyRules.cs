using System.Text;

namespace GpuConvNet.Tests.Architecture;

/// <summary>
/// <c>docs/dependencies.txt</c>: the app assembly's layers from top to bottom (a layer may use any layer below it,
/// every leaf and the assemblies below the app), its leaves (which use nothing but the root namespace), and the debt:
/// edges that exist against those rules, each with the reason it is still there.
/// </summary>
public sealed class DependencyRules
{
    private const string Begin = "<!-- dependencies:begin (written from docs/dependencies.txt by DependencyTests) -->";
    private const string End = "<!-- dependencies:end -->";

    private DependencyRules(IReadOnlyList<string> layers, IReadOnlyList<string> leaves, IReadOnlyList<string> below,
        IReadOnlyList<(string From, string To, string Why)> debt)
    {
        Layers = layers;
        Below = below;
        Leaves = leaves;
        DebtWithReasons = debt;
        Debt = debt.Select(d => (d.From, d.To)).ToHashSet();
    }

    /// <summary>Layers, top first.</summary>
    public IReadOnlyList<string> Layers { get; }

    /// <summary>Namespaces every layer may use.</summary>
    public IReadOnlyList<string> Leaves { get; }

    /// <summary>The assemblies below the app (<c>Kernels</c>, <c>Compute</c>), which every layer may use.</summary>
    public IReadOnlyList<string> Below { get; }

    /// <summary>Edges that break the rules today, with why.</summary>
    public IReadOnlyList<(string From, string To, string Why)> DebtWithReasons { get; }

    /// <summary>The debt edges.</summary>
    public IReadOnlySet<(string From, string To)> Debt { get; }

    /// <summary>Parses the file: <c>layers: A, B, …</c>, <c>leaves: …</c>, <c>below: …</c>, <c>debt: A -> B: why</c>; <c>#</c> comments.</summary>
    public static DependencyRules Read(string path)
    {
        var layers = new List<string>();
        var leaves = new List<string>();
        var below = new List<string>();
        var debt = new List<(string, string, string)>();
        foreach (string raw in File.ReadLines(path))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string key = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "layers":
                    layers.AddRange(value.Split(',', StringSplitOptions.TrimEntries));
                    break;
                case "leaves":
                    leaves.AddRange(value.Split(',', StringSplitOptions.TrimEntries));
                    break;
                case "below":
                    below.AddRange(value.Split(',', StringSplitOptions.TrimEntries));
                    break;
                case "debt":
                    var edge = value.Split(':', 2, StringSplitOptions.TrimEntries);
                    var ends = edge[0].Split("->", StringSplitOptions.TrimEntries);
                    debt.Add((ends[0], ends[1], edge.Length > 1 ? edge[1] : ""));
                    break;
                default:
                    throw new FormatException($"{path}: '{key}' is not layers, leaves, below or debt");
            }
        }
        return new DependencyRules(layers, leaves, below, debt);
    }

    /// <summary>True when the rules let <paramref name="from"/> use <paramref name="to"/>.</summary>
    public bool Allows(string from, string to)
    {
        int a = Layers.ToList().IndexOf(from), b = Layers.ToList().IndexOf(to);
        return to == "(root)" || (a >= 0 && (b > a || Leaves.Contains(to) || Below.Contains(to)));
    }

    /// <summary><paramref name="document"/> with the table between its markers written from these rules.</summary>
    public string WriteInto(string document)
    {
        int begin = document.IndexOf(Begin, StringComparison.Ordinal);
        int end = document.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new FormatException($"the document has no {Begin} … {End} block");
        }
        var table = new StringBuilder();
        table.AppendLine(Begin);
        table.AppendLine("| namespace (`GpuConvNet.…`) | may use | debt: uses it, should not (why it is still there) |");
        table.AppendLine("|---|---|---|");
        for (int i = 0; i < Layers.Count; i++)
        {
            string layer = Layers[i];
            var uses = Layers.Skip(i + 1).Concat(Leaves).Append("(root)").Concat(Below);
            table.AppendLine($"| `{layer}` | {string.Join(", ", uses.Select(n => $"`{n}`"))} | {DebtOf(layer)} |");
        }
        foreach (string leaf in Leaves)
        {
            table.AppendLine($"| `{leaf}` (leaf) | `(root)` | {DebtOf(leaf)} |");
        }
        table.Append(End);
        return string.Concat(document.AsSpan(0, begin), table.ToString(), document.AsSpan(end + End.Length));
    }

    private string DebtOf(string from) =>
        string.Join("; ", DebtWithReasons.Where(d => d.From == from).Select(d => $"`{d.To}` ({d.Why})"));
}
