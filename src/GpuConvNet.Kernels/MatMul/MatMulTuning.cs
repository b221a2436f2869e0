using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Per-device ranking of the CPU matmul variants — 3 (8×16 blocks, one AVX-512 vector per row of a block), 4 (8×8,
/// one AVX2 vector), 5 and 6 (packed panels, 6×16 or 12×16 tiles in registers) — as CLBlast tunes per device: a short
/// measurement (a 384³ product with each, best of five after a warm-up; about 2 s with the compilations) the first
/// time a device multiplies, remembered for the process and, when <see cref="CacheDirectory"/> is set, in a file per
/// device and driver, so later runs (and resumed trainings, which want the same kernels) skip it.
/// </summary>
public static class MatMulTuning
{
    /// <summary>Rows, columns and depth of the measured product.</summary>
    public const int Size = 384;

    /// <summary>The variants ranked, in the order they are measured.</summary>
    public static IReadOnlyList<MatMulVariant> Candidates { get; } =
        [MatMulVariant.VectorBlocked, MatMulVariant.VectorBlocked8, MatMulVariant.Packed6x16, MatMulVariant.Packed12x16];

    private static readonly ConcurrentDictionary<string, MatMulVariant[]> Ranked = new(StringComparer.Ordinal);

    // The same per accelerator, found without building the device's key: every matmul launch on a CPU asks.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Accelerator, object> ByAccelerator = [];

    /// <summary>Where choices are kept across runs (the command line sets the per-user cache's <c>tuning</c>); null: this process only.</summary>
    public static string? CacheDirectory { get; set; }

    /// <summary>
    /// The fastest variant on <paramref name="accelerator"/>'s device (ranking remembered, read from the cache, or
    /// measured now); with <paramref name="packed"/> false (no workspace to pack into) the fastest of variants 3 and 4.
    /// </summary>
    public static MatMulVariant Fastest(Accelerator accelerator, bool packed)
    {
        var ranking = Ranking(accelerator);
        return packed ? ranking[0] : ranking.First(v => v is MatMulVariant.VectorBlocked or MatMulVariant.VectorBlocked8);
    }

    /// <summary>The <see cref="Candidates"/>, fastest first, on <paramref name="accelerator"/>'s device.</summary>
    public static IReadOnlyList<MatMulVariant> Ranking(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        if (ByAccelerator.TryGetValue(accelerator, out var known))
        {
            return (MatMulVariant[])known;
        }
        var ranking = Ranked.GetOrAdd(Key(accelerator.Device), key => Read(key) ?? Measure(accelerator, key));
        ByAccelerator.AddOrUpdate(accelerator, ranking);
        return ranking;
    }

    /// <summary>Measures the device again (e.g. after a driver update), remembers and, with a <see cref="CacheDirectory"/>, keeps the ranking.</summary>
    public static IReadOnlyList<MatMulVariant> Remeasure(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        string key = Key(accelerator.Device);
        var ranking = Measure(accelerator, key);
        Ranked[key] = ranking;
        ByAccelerator.AddOrUpdate(accelerator, ranking);
        return ranking;
    }

    /// <summary>GFLOP/s of each of the <see cref="Candidates"/> on <paramref name="accelerator"/> at <see cref="Size"/>³.</summary>
    public static IReadOnlyDictionary<MatMulVariant, double> Rates(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        var random = new Random(1);
        var host = Enumerable.Range(0, Size * Size).Select(_ => (float)random.NextDouble()).ToArray();
        using var a = accelerator.Allocate(host);
        using var b = accelerator.Allocate(host);
        using var c = accelerator.Allocate<float>(Size * Size);
        using var workspace = new MatMulWorkspace();
        var rates = new Dictionary<MatMulVariant, double>();
        foreach (var variant in Candidates)
        {
            double best = double.MaxValue;
            for (int run = 0; run < 6; run++)
            {
                var clock = Stopwatch.StartNew();
                MatMul.Multiply(accelerator, a.View, Transpose.No, b.View, Transpose.No, c.View, Size, Size, Size, variant: variant, workspace: workspace);
                accelerator.Synchronize();
                // Run 0 compiles and warms the caches.
                best = run == 0 ? best : Math.Min(best, clock.Elapsed.TotalSeconds);
            }
            rates[variant] = 2.0 * Size * Size * Size / best / 1e9;
        }
        return rates;
    }

    /// <summary>What identifies a device and its driver: its name and platform (which carries the driver's version).</summary>
    public static string Key(DeviceInfo device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return $"{device.Name} | {device.Platform}";
    }

    private static MatMulVariant[] Measure(Accelerator accelerator, string key)
    {
        var rates = Rates(accelerator);
        var ranking = rates.OrderByDescending(r => r.Value).Select(r => r.Key).ToArray();
        if (CacheDirectory is { } directory)
        {
            try
            {
                Directory.CreateDirectory(directory);
                string rateText = string.Join(", ", rates.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value:F1} GFLOP/s")));
                File.WriteAllText(PathOf(directory, key), $"{string.Join(' ', ranking)}\n{key}\n{rateText}\n");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A cache that cannot be written costs a measurement next run, nothing else.
            }
        }
        return ranking;
    }

    // A file that does not rank every candidate (one written before a variant was added) is measured again.
    private static MatMulVariant[]? Read(string key)
    {
        if (CacheDirectory is not { } directory || !File.Exists(PathOf(directory, key)))
        {
            return null;
        }
        try
        {
            var lines = File.ReadAllLines(PathOf(directory, key));
            if (lines.Length < 2 || lines[1] != key)
            {
                return null;
            }
            var ranking = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(word => Enum.TryParse<MatMulVariant>(word, out var variant) ? variant : MatMulVariant.Auto).ToArray();
            return ranking.Length == Candidates.Count && Candidates.All(ranking.Contains) ? ranking : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string PathOf(string directory, string key) =>
        Path.Combine(directory, "matmul-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16] + ".txt");
}
