namespace GpuConvNet.LibTorchBaseline;

/// <summary>
/// The options of the Python scripts, spelt the same (<c>--name value</c>, <c>--seeds 1 2 3</c>); an unknown option
/// or a missing value is an error, not ignored.
/// </summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, List<string>> values = [];

    public Arguments(IEnumerable<string> args, IReadOnlyCollection<string> known)
    {
        List<string>? current = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (!known.Contains(arg))
                {
                    throw new ArgumentException($"unknown option {arg}: expected one of {string.Join(", ", known)}");
                }
                values[arg] = current = [];
            }
            else if (current is null)
            {
                throw new ArgumentException($"'{arg}' follows no option");
            }
            else
            {
                current.Add(arg);
            }
        }
        foreach (var (name, list) in values)
        {
            if (list.Count == 0)
            {
                throw new ArgumentException($"{name} needs a value");
            }
        }
    }

    public string Get(string name, string fallback) =>
        !values.TryGetValue(name, out var list) ? fallback
        : list.Count == 1 ? list[0]
        : throw new ArgumentException($"{name} takes one value, not {list.Count}");

    /// <summary>Integers given one after the other, as speedrun.py's <c>--seeds 1 2 3</c>.</summary>
    public IReadOnlyList<int> GetIntList(string name, IReadOnlyList<int> fallback) =>
        values.TryGetValue(name, out var list) ? [.. list.Select(s => int.Parse(s, Inv))] : fallback;

    public int GetInt(string name, int fallback) => int.Parse(Get(name, fallback.ToString(Inv)), Inv);

    public double GetDouble(string name, double fallback) => double.Parse(Get(name, fallback.ToString(Inv)), Inv);

    /// <summary>A comma-separated list of integers, as bench.py's <c>--batches 64,256</c>.</summary>
    public int[] GetInts(string name, string fallback) =>
        [.. Get(name, fallback).Split(',').Select(s => int.Parse(s, Inv))];

    private static IFormatProvider Inv => System.Globalization.CultureInfo.InvariantCulture;
}
