using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Imaging;
using GpuConvNet.Nn;

namespace GpuConvNet.Benchmarks.Infrastructure;

/// <summary>
/// <c>--upload-flood CLI [large] [small]</c>: <c>gpuconvnet serve</c> (the executable <c>CLI</c>, started as its own
/// process on a loopback port, so that its resident memory is its own) under <c>large</c> (64) concurrent uploads of a
/// 75 KB PNG declaring 8000×8000 pixels beside <c>small</c> (200) concurrent uploads of the page's 280×280 pad. Prints
/// the server's RSS before, at its peak, right after and 5 s after the burst, and each kind's statuses and p50/p99
/// latency.
/// </summary>
public static class UploadFlood
{
    /// <summary>Runs the measurement and prints a table; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        if (args.Length < 1 || !File.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: --upload-flood PATH-TO-GpuConvNet.Cli [large uploads, 64] [small uploads, 200]");
            return 2;
        }
        int large = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
        int small = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
        string directory = Directory.CreateTempSubdirectory("gpuconvnet-upload-flood-").FullName;
        try
        {
            string checkpoint = Path.Combine(directory, "lenet5.safetensors");
            using (var cpu = Accelerators.Create("cpu"))
            using (var model = ModelZoo.Get("lenet5").Create())
            {
                model.Build(cpu, 16, seed: 1);
                ModelCheckpoint.Save(checkpoint, model, new Dictionary<string, string>());
            }
            return Measure(args[0], checkpoint, large, small).GetAwaiter().GetResult();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<int> Measure(string cli, string checkpoint, int large, int small)
    {
        var start = new ProcessStartInfo(cli, ["serve", checkpoint, "--device", "cpu", "--host", "127.0.0.1", "--port", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var server = Process.Start(start)!;
        try
        {
            string? address = null;
            for (int line = 0; line < 20 && address is null; line++)
            {
                string text = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) ?? "";
                int at = text.IndexOf("http://", StringComparison.Ordinal);
                address = at >= 0 ? text[at..].Trim() : null;
            }
            if (address is null)
            {
                Console.Error.WriteLine("serve printed no address: " + await server.StandardError.ReadToEndAsync());
                return 1;
            }
            byte[] huge = HugePng();
            byte[] pad = SmallPng();
            using var client = new HttpClient { BaseAddress = new Uri(address + "/"), Timeout = TimeSpan.FromMinutes(5) };
            // Warm-up: the first request of each kind pays for JIT and the model's first launches.
            await Post(client, pad);
            long before = Rss(server.Id);
            long peak = before;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, Rss(server.Id));
                    await Task.Delay(20, CancellationToken.None);
                }
            });
            var clock = Stopwatch.StartNew();
            var requests = Enumerable.Range(0, large).Select(_ => Timed("8000×8000 PNG (75 KB)", client, huge))
                .Concat(Enumerable.Range(0, small).Select(_ => Timed("280×280 pad", client, pad))).ToArray();
            var results = await Task.WhenAll(requests);
            double burst = clock.Elapsed.TotalSeconds;
            await sampling.CancelAsync();
            await sampler;
            long after = Rss(server.Id);
            await Task.Delay(TimeSpan.FromSeconds(5));
            long settled = Rss(server.Id);

            Console.WriteLine($"burst of {large} large + {small} small uploads in {burst:F1} s");
            Console.WriteLine($"server RSS: before {before >> 20} MiB, peak {peak >> 20} MiB, right after {after >> 20} MiB, 5 s later {settled >> 20} MiB");
            Console.WriteLine("| upload | count | statuses | p50 latency | p99 latency |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (var kind in results.GroupBy(r => r.Kind))
            {
                var latencies = kind.Select(r => r.Milliseconds).Order().ToList();
                double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
                string statuses = string.Join(", ", kind.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()}× {g.Key}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {kind.Key} | {latencies.Count} | {statuses} | {P(0.50):F0} ms | {P(0.99):F0} ms |"));
            }
            return 0;
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync();
        }
    }

    private static async Task<(string Kind, int Status, double Milliseconds)> Timed(string kind, HttpClient client, byte[] png)
    {
        long start = Stopwatch.GetTimestamp();
        int status = await Post(client, png);
        return (kind, status, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    private static async Task<int> Post(HttpClient client, byte[] png)
    {
        using var content = new ByteArrayContent(png);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var response = await client.PostAsync("api/predict", content);
        _ = await response.Content.ReadAsByteArrayAsync();
        return (int)response.StatusCode;
    }

    // Resident set size from /proc (Linux): what the machine gives the process, which the GC's own counters do not show.
    private static long Rss(int pid)
    {
        string? line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    // A white 8000×8000 picture with a dark bar: compresses to tens of kilobytes, decodes to 64 megapixels.
    private static byte[] HugePng()
    {
        const int side = 8000;
        var pixels = new byte[side * side];
        Array.Fill(pixels, (byte)255);
        for (int y = 2000; y < 6000; y++)
        {
            pixels.AsSpan(y * side + 3600, 800).Clear();
        }
        return PngFile.Encode(new Raster(side, side, PixelLayout.Gray, pixels));
    }

    // A white 280×280 pad with a dark "1", as the page sends.
    private static byte[] SmallPng()
    {
        const int side = 280;
        var pixels = new byte[side * side];
        Array.Fill(pixels, (byte)255);
        for (int y = 50; y < 230; y++)
        {
            pixels.AsSpan(y * side + 125, 30).Clear();
        }
        return PngFile.Encode(new Raster(side, side, PixelLayout.Gray, pixels));
    }
}
