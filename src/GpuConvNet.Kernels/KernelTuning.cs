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
/// </summary>
public static class KernelTuning
{
    private static readonly ConcurrentDictionary<(string Op, string Key), object> Ranked = new();

    // The same per accelerator and op, found without building the device's key: every launch of a tuned op asks.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Accelerator, ConcurrentDictionary<string, object>> ByAccelerator = [];

    /// <summary>Where rankings are kept across runs (the command line sets the per-user cache's <c>tuning</c>); null: this process only.</summary>
    public static string? CacheDirectory { get; set; }

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
    public static Dictionary<T, double> Race<T>(Accelerator accelerator, IReadOnlyList<(T Variant, Action Launch)> launches, int rounds = 5)
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
        var perOp = ByAccelerator.GetValue(accelerator, _ => new ConcurrentDictionary<string, object>(StringComparer.Ordinal));
        return (T[])perOp.GetOrAdd(op, _ => Ranked.GetOrAdd((op, Key(accelerator.Device)),
            entry => Read(entry.Op, entry.Key, candidates) ?? Measure(accelerator, entry.Op, entry.Key, rates)));
    }

    /// <summary>Measures again (e.g. after a driver update), remembers and, with a <see cref="CacheDirectory"/>, keeps the ranking.</summary>
    public static IReadOnlyList<T> Remeasure<T>(Accelerator accelerator, string op, Func<Accelerator, IReadOnlyDictionary<T, double>> rates)
        where T : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        string key = Key(accelerator.Device);
        var ranking = Measure(accelerator, op, key, rates);
        Ranked[(op, key)] = ranking;
        ByAccelerator.GetValue(accelerator, _ => new ConcurrentDictionary<string, object>(StringComparer.Ordinal))[op] = ranking;
        return ranking;
    }

    /// <summary>The file a ranking of <paramref name="op"/> on the device <paramref name="key"/> is kept in.</summary>
    public static string PathOf(string directory, string op, string key) =>
        Path.Combine(directory, op + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16] + ".txt");

    private static T[] Measure<T>(Accelerator accelerator, string op, string key, Func<Accelerator, IReadOnlyDictionary<T, double>> rates)
        where T : struct, Enum
    {
        var measured = rates(accelerator);
        var ranking = measured.OrderByDescending(r => r.Value).Select(r => r.Key).ToArray();
        if (CacheDirectory is { } directory)
        {
            try
            {
                Directory.CreateDirectory(directory);
                string rateText = string.Join(", ", measured.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value:G4}")));
                File.WriteAllText(PathOf(directory, op, key), $"{string.Join(' ', ranking)}\n{key}\n{rateText}\n");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A cache that cannot be written costs a measurement next run, nothing else.
            }
        }
        return ranking;
    }

    private static T[]? Read<T>(string op, string key, IReadOnlyList<T> candidates) where T : struct, Enum
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
            return ranking.Length == candidates.Count && ranking.All(v => v is { } known && candidates.Contains(known)) && ranking.Distinct().Count() == candidates.Count
                ? [.. ranking.Select(v => v!.Value)] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
