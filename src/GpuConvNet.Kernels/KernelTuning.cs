using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Per-device rankings of an op's kernel variants, as CLBlast and <c>cudnn.benchmark</c> tune: measured the first time
/// a device needs them, remembered for the process and, when <see cref="CacheDirectory"/> is set, kept in a small text
/// file per op, device and driver (the variants fastest first, the device key, the rates measured), so later runs — and
/// resumed trainings, which want the same kernels — skip the measurement. <see cref="MatMulTuning"/> and
/// <see cref="Conv2DTuning"/> rank their variants through it.
/// A measurement is <see cref="Measurements"/> races, ranked by each variant's median rate. It is kept as settled only
/// when the winner's worst race beats the runner-up's best: a choice measured while the machine was busy (the races
/// disagree) is used for this process and written as provisional, which later runs measure again; after
/// <see cref="ProvisionalLimit"/> provisional runs the variants are taken as equal within noise and the ranking of the
/// summed medians is kept, so that equal variants are not raced on every run.
/// </summary>
public static partial class KernelTuning
{
    private static readonly ConcurrentDictionary<(string Op, string Key), object> Ranked = new();

    // The same per accelerator and op, found without building the device's key: every launch of a tuned op asks.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Accelerator, ConcurrentDictionary<string, object>> ByAccelerator = [];

    /// <summary>Where rankings are kept across runs (the command line sets the per-user cache's <c>tuning</c>); null: this process only.</summary>
    public static string? CacheDirectory { get; set; }

    /// <summary>
    /// Races per measurement: the median of three is not moved by one slow spell. Each race times two rounds (after a
    /// warm-up), so a measurement launches each variant 9 times where one race of five rounds launched it 6 times.
    /// </summary>
    public const int Measurements = 3;

    /// <summary>Provisional measurements (kept in the file) after which the variants count as equal within noise.</summary>
    public const int ProvisionalLimit = 3;

    /// <summary>What identifies a device and its driver: its name and platform (which carries the driver's version).</summary>
    public static string Key(DeviceInfo device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return $"{device.Name} | {device.Platform}";
    }

    /// <summary>
    /// The best of <paramref name="rounds"/> timings (each synchronised) of every launch, after one each that compiles
    /// and warms the caches, in seconds. The launches take turns round by round, so that a slow spell of a shared
    /// machine falls on all of them rather than on whichever ran then (one variant at a time, a 2-core VM ranked
    /// the slower convolution first one time in three).
    /// </summary>
    public static Dictionary<T, double> Race<T>(Accelerator accelerator, IReadOnlyList<(T Variant, Action Launch)> launches, int rounds = 2)
        where T : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(launches);
        var best = launches.ToDictionary(l => l.Variant, _ => double.MaxValue);
        for (int round = 0; round <= rounds; round++)
        {
            foreach (var (variant, launch) in launches)
            {
                var clock = Stopwatch.StartNew();
                launch();
                accelerator.Synchronize();
                if (round > 0)
                {
                    best[variant] = Math.Min(best[variant], clock.Elapsed.TotalSeconds);
                }
            }
        }
        return best;
    }

    /// <summary>
    /// <paramref name="candidates"/> ranked fastest first on <paramref name="accelerator"/>'s device for
    /// <paramref name="op"/>: remembered, read from the cache (a file that does not rank every candidate, as one written
    /// before a variant existed, is ignored), or measured now with <paramref name="rates"/> (higher is faster).
    /// </summary>
    public static IReadOnlyList<T> Ranking<T>(Accelerator accelerator, string op, IReadOnlyList<T> candidates,
        Func<Accelerator, IReadOnlyDictionary<T, double>> rates) where T : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        var perOp = ByAccelerator.GetValue(accelerator, static _ => new ConcurrentDictionary<string, object>(StringComparer.Ordinal));
        // Every launch of a tuned op asks: the known ranking is found without building the lambdas below.
        if (perOp.TryGetValue(op, out var known))
        {
            return (T[])known;
        }
        return (T[])perOp.GetOrAdd(op, _ => Ranked.GetOrAdd((op, Key(accelerator.Device)), entry =>
        {
            var kept = Read(entry.Op, entry.Key, candidates);
            return kept is { Provisional: 0 } ? kept.Ranking : Measure(accelerator, entry.Op, entry.Key, rates, kept).Ranking.ToArray();
        }));
    }

    /// <summary>Measures again (e.g. after a driver update), remembers and, with a <see cref="CacheDirectory"/>, keeps the ranking.</summary>
    public static IReadOnlyList<T> Remeasure<T>(Accelerator accelerator, string op, Func<Accelerator, IReadOnlyDictionary<T, double>> rates)
        where T : struct, Enum => Tune(accelerator, op, rates).Ranking;

    /// <summary>
    /// Measures again, remembers and keeps the ranking as <see cref="Remeasure{T}"/> does, and returns the whole
    /// measurement (median rates, spreads, whether it settled) for <c>gpuconvnet tune</c> to show.
    /// </summary>
    public static TuningResult<T> Tune<T>(Accelerator accelerator, string op, Func<Accelerator, IReadOnlyDictionary<T, double>> rates)
        where T : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        string key = Key(accelerator.Device);
        var result = Measure(accelerator, op, key, rates, previous: null);
        var ranking = result.Ranking.ToArray();
        Ranked[(op, key)] = ranking;
        ByAccelerator.GetValue(accelerator, _ => new ConcurrentDictionary<string, object>(StringComparer.Ordinal))[op] = ranking;
        return result;
    }

    /// <summary>The file a ranking of <paramref name="op"/> on the device <paramref name="key"/> is kept in.</summary>
    public static string PathOf(string directory, string op, string key) =>
        Path.Combine(directory, op + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16] + ".txt");

    private static TuningResult<T> Measure<T>(Accelerator accelerator, string op, string key, Func<Accelerator, IReadOnlyDictionary<T, double>> rates,
        KeptRanking<T>? previous) where T : struct, Enum
    {
        var races = Enumerable.Range(0, Measurements).Select(_ => rates(accelerator)).ToList();
        var median = races[0].Keys.ToDictionary(v => v, v => Median(races.Select(r => r[v])));
        var ranking = median.OrderByDescending(r => r.Value).Select(r => r.Key).ToArray();
        // Settled: the winner's slowest race is faster than the runner-up's fastest.
        bool settled = ranking.Length < 2 || races.Min(r => r[ranking[0]]) > races.Max(r => r[ranking[1]]);
        int provisional = settled ? 0 : (previous?.Provisional ?? 0) + 1;
        var summed = previous is null ? median : median.ToDictionary(m => m.Key, m => m.Value + previous.SummedRates.GetValueOrDefault(m.Key));
        if (provisional >= ProvisionalLimit)
        {
            // Raced this often without a clear winner: equal within noise; keep the best of the summed medians for good.
            ranking = [.. summed.OrderByDescending(r => r.Value).Select(r => r.Key)];
            provisional = 0;
        }
        var spread = races[0].Keys.ToDictionary(v => v, v => (races.Max(r => r[v]) - races.Min(r => r[v])) / median[v]);
        Write(op, key, ranking, median, summed, provisional);
        return new TuningResult<T>(ranking, median, spread, provisional == 0);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    // Line 1: the ranking; 2: the device key; 3: the median rates; 4: "settled", or "provisional N" and the summed medians.
    private static void Write<T>(string op, string key, T[] ranking, Dictionary<T, double> median, Dictionary<T, double> summed, int provisional)
        where T : struct, Enum
    {
        if (CacheDirectory is not { } directory)
        {
            return;
        }
        static string Rates(Dictionary<T, double> rates) => string.Join(", ", rates.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value:R}")));
        try
        {
            Directory.CreateDirectory(directory);
            string state = provisional == 0 ? "settled" : string.Create(CultureInfo.InvariantCulture, $"provisional {provisional}: {Rates(summed)}");
            AtomicWrite(PathOf(directory, op, key), $"{string.Join(' ', ranking)}\n{key}\n{Rates(median)}\n{state}\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written costs a measurement next run, nothing else.
        }
    }

    // Two processes tuning at once must not leave half a file: write beside it, then move over it.
    private static void AtomicWrite(string path, string text)
    {
        string temporary = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>A ranking read from the cache: settled (Provisional 0), or provisional with its count and summed medians.</summary>
    private sealed record KeptRanking<T>(T[] Ranking, int Provisional, Dictionary<T, double> SummedRates) where T : struct, Enum;

    private static KeptRanking<T>? Read<T>(string op, string key, IReadOnlyList<T> candidates) where T : struct, Enum
    {
        if (CacheDirectory is not { } directory || !File.Exists(PathOf(directory, op, key)))
        {
            return null;
        }
        try
        {
            var lines = File.ReadAllLines(PathOf(directory, op, key));
            if (lines.Length < 2 || lines[1] != key)
            {
                return null;
            }
            var ranking = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(word => Enum.TryParse<T>(word, out var variant) ? (T?)variant : null).ToArray();
            if (ranking.Length != candidates.Count || !ranking.All(v => v is { } known && candidates.Contains(known)) || ranking.Distinct().Count() != candidates.Count)
            {
                return null;
            }
            // A file without a state line predates provisional rankings: it was believed then, and is now.
            var provisional = lines.Length > 3 ? ProvisionalState().Match(lines[3]) : null;
            if (provisional is null || !provisional.Success)
            {
                return new KeptRanking<T>([.. ranking.Select(v => v!.Value)], 0, []);
            }
            var summed = provisional.Groups[2].Value.Split(", ", StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split(' '))
                .Where(pair => pair.Length == 2 && Enum.TryParse<T>(pair[0], out _) && double.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                .ToDictionary(pair => Enum.Parse<T>(pair[0]), pair => double.Parse(pair[1], CultureInfo.InvariantCulture));
            return new KeptRanking<T>([.. ranking.Select(v => v!.Value)], int.Parse(provisional.Groups[1].Value, CultureInfo.InvariantCulture), summed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return null;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^provisional (\d{1,6}): (.*)$")]
    private static partial System.Text.RegularExpressions.Regex ProvisionalState();
}

/// <summary>One tuning measurement: the ranking, each variant's median rate and spread ((max − min) / median over the races), and whether it settled.</summary>
public sealed record TuningResult<T>(IReadOnlyList<T> Ranking, IReadOnlyDictionary<T, double> MedianRates, IReadOnlyDictionary<T, double> Spread, bool Settled)
    where T : struct, Enum;
