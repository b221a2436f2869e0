using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Imaging;
using GpuConvNet.Nn;
using GpuConvNet.Web;

namespace GpuConvNet.Benchmarks.Infrastructure;

/// <summary>
/// <c>--serve-load [seconds] [devices]</c>: requests per second and p50/p99 latency of <c>POST /api/predict</c> for
/// <c>cnn</c>, served by <c>gpuconvnet serve</c>'s server in this process on a loopback port, with 1 and 16 clients
/// each sending the PNG the page sends (a 280×280 pad with a drawn digit) and waiting for the answer before the next.
/// Baseline in the same run: the same work without HTTP (decode, prepare, predict), one caller. Latency has
/// percentiles, which BenchmarkDotNet's per-invocation means do not give, hence a load generator of its own.
/// </summary>
public static class ServeLoad
{
    /// <summary>Runs the measurement and prints a table; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        double seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var devices = args.Length > 1 ? args[1].Split(',') : ["cpu", "opencl:0"];
        string directory = Directory.CreateTempSubdirectory("gpuconvnet-serve-load-").FullName;
        try
        {
            byte[] pad = Pad();
            Console.WriteLine($"| device | clients | requests/s | p50 latency | p99 latency | batches per request |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var id in devices.Where(d => Accelerators.All.Any(a => a.Id == d)))
            {
                string checkpoint = Path.Combine(directory, $"cnn-{id.Replace(':', '-')}.safetensors");
                using (var accelerator = Accelerators.Create(id))
                using (var model = ModelZoo.Get("cnn").Create())
                {
                    model.Build(accelerator, 16, seed: 1);
                    ModelCheckpoint.Save(checkpoint, model, new Dictionary<string, string>());
                }
                Measure(id, checkpoint, pad, seconds).GetAwaiter().GetResult();
            }
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task Measure(string id, string checkpoint, byte[] pad, double seconds)
    {
        var service = DigitService.Open(checkpoint, Accelerators.Create(id));
        var app = DigitServer.Build(service, new ServerOptions { Port = 0 });
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(DigitServer.Addresses(app)[0] + "/") };
            // Warm-up with every batch size the clients can make (PoCL compiles a kernel per launch shape once).
            await Load(client, pad, 16, Math.Min(5, seconds));
            var (baseline, baselineLatencies) = await InProcess(service, pad, seconds);
            Row(id, "in-process, no HTTP (baseline)", baseline, baselineLatencies, null);
            foreach (int clients in new[] { 1, 16 })
            {
                var (_, batchesBefore) = service.Served;
                var (rate, latencies) = await Load(client, pad, clients, seconds);
                var (_, batchesAfter) = service.Served;
                Row(id, clients.ToString(CultureInfo.InvariantCulture), rate, latencies, (batchesAfter - batchesBefore) / (double)latencies.Count);
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            service.Dispose();
        }
    }

    private static async Task<(double Rate, List<double> Latencies)> Load(HttpClient client, byte[] pad, int clients, double seconds)
    {
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = new List<double>();
            while (clock.Elapsed < until)
            {
                long start = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(pad);
                content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
                using var response = await client.PostAsync("api/predict?invert=yes", content);
                _ = await response.Content.ReadAsByteArrayAsync();
                response.EnsureSuccessStatusCode();
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        })));
        return (latencies.Count / clock.Elapsed.TotalSeconds, latencies);
    }

    private static async Task<(double Rate, List<double> Latencies)> InProcess(DigitService service, byte[] pad, double seconds)
    {
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            long start = Stopwatch.GetTimestamp();
            _ = await service.PredictAsync(InputImage.Decode(pad, "pad.png", Preprocessing.Digit, InkPolarity.DarkOnLight));
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return (latencies.Count / clock.Elapsed.TotalSeconds, latencies);
    }

    private static void Row(string device, string clients, double rate, List<double> latencies, double? batchesPerRequest)
    {
        latencies.Sort();
        double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {device} | {clients} | {rate:N0} | {P(0.50):F1} ms | {P(0.99):F1} ms | {(batchesPerRequest is { } b ? b.ToString("F2", CultureInfo.InvariantCulture) : "-")} |"));
    }

    // What the page sends: a white 280×280 pad with a black "7" drawn in strokes about 23 pixels wide.
    private static byte[] Pad()
    {
        const int size = 280;
        var pixels = Enumerable.Repeat((byte)255, size * size).ToArray();
        void Line(double x0, double y0, double x1, double y1)
        {
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    double t = Math.Clamp(((x - x0) * (x1 - x0) + (y - y0) * (y1 - y0)) / ((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)), 0, 1);
                    double dx = x - (x0 + t * (x1 - x0)), dy = y - (y0 + t * (y1 - y0));
                    if (dx * dx + dy * dy < 11.5 * 11.5)
                    {
                        pixels[y * size + x] = 0;
                    }
                }
            }
        }
        Line(80, 50, 200, 50);
        Line(200, 50, 120, 240);
        return PngFile.Encode(new Raster(size, size, PixelLayout.Gray, pixels));
    }
}
