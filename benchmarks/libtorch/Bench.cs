using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GpuConvNet.LibTorchBaseline;

/// <summary>
/// benchmarks/pytorch/bench.py through libtorch: the same kernel shapes and models, float32, the same batch sizes, and
/// the same JSON rows (<c>device</c> is <c>libtorch-cpu</c>), so that benchmarks/report.py --libtorch puts them beside
/// PyTorch's. Every timed call runs in its own dispose scope, as a .NET user frees a step's tensors.
/// </summary>
internal static class Bench
{
    public static readonly string[] Options = ["--device", "--out", "--models", "--batches", "--matmul", "--min-seconds"];

    private static readonly (int N, int C, int H, int W, int K, int R, int Pad)[] ConvShapes =
    [
        (64, 1, 28, 28, 32, 3, 0), (256, 1, 28, 28, 32, 3, 0),
        (64, 32, 26, 26, 64, 3, 0), (256, 32, 26, 26, 64, 3, 0), (256, 32, 28, 28, 64, 3, 1),
        (64, 1, 28, 28, 6, 5, 2), (64, 6, 14, 14, 16, 5, 0),
    ];

    public static void Run(Arguments args)
    {
        var device = args.Get("--device", "cpu");
        if (device != "cpu")
        {
            throw new ArgumentException($"--device {device}: TorchSharp-cpu has only the cpu device");
        }
        var minSeconds = args.GetDouble("--min-seconds", 1.0);
        var models = args.Get("--models", "lenet5,cnn").Split(',');
        var batches = args.GetInts("--batches", "64,256");
        var sizes = args.GetInts("--matmul", "256,1024,2048");
        var unknown = models.Where(m => !Models.ByName.ContainsKey(m)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"no model {string.Join(", ", unknown)}: choose from {string.Join(", ", Models.ByName.Keys)}");
        }
        // As bench.py does: every core, as our accelerators use.
        set_num_threads(Environment.ProcessorCount);
        var rows = new JsonArray();
        foreach (var row in MatMulRows(sizes, minSeconds).Concat(ConvRows(minSeconds)).Concat(ModelRows(models, batches, minSeconds)))
        {
            var (suite, testCase, value, unit) = row;
            rows.Add(new JsonObject { ["suite"] = suite, ["case"] = testCase, ["value"] = value, ["unit"] = unit, ["device"] = "libtorch-cpu" });
            Console.WriteLine($"{suite,-16} {testCase,-36} {value,10:F2} {unit}");
        }
        var meta = new JsonObject
        {
            ["torch"] = Machine.LibTorchVersion,
            ["threads"] = get_num_threads(),
            ["device"] = Machine.CpuName,
            ["blas"] = "MKL, oneDNN (TorchSharp-cpu's libtorch build)",
        };
        File.WriteAllText(args.Get("--out", "libtorch.json"),
            new JsonObject { ["meta"] = meta, ["rows"] = rows }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Mean seconds per call: warm up, then repeat until <paramref name="minSeconds"/> have passed (and 3 calls).</summary>
    private static double Timed(Action call, double minSeconds, int warmup = 2)
    {
        for (var i = 0; i < warmup; i++)
        {
            Scoped(call);
        }
        var calls = 0;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Scoped(call);
            calls++;
            var elapsed = clock.Elapsed.TotalSeconds;
            if (elapsed >= minSeconds && calls >= 3)
            {
                return elapsed / calls;
            }
        }
    }

    private static void Scoped(Action call)
    {
        using var scope = NewDisposeScope();
        call();
    }

    private static IEnumerable<(string, string, double, string)> MatMulRows(int[] sizes, double minSeconds)
    {
        foreach (var n in sizes)
        {
            using var a = rand(n, n) * 2 - 1;
            using var b = rand(n, n) * 2 - 1;
            var seconds = Timed(() => a.matmul(b), minSeconds);
            yield return ("matmul", $"{n}x{n}x{n}", 2.0 * n * n * n / seconds / 1e9, "GFLOP/s");
        }
        // The dense layer of `cnn`: (batch, 9216) · (9216, 128)ᵀ.
        foreach (var batch in new[] { 64, 256 })
        {
            using var x = rand(batch, 9216);
            using var w = rand(128, 9216);
            var seconds = Timed(() => x.matmul(w.t()), minSeconds);
            yield return ("matmul", $"{batch}x128x9216 (A·Bᵀ)", 2.0 * batch * 128 * 9216 / seconds / 1e9, "GFLOP/s");
        }
    }

    private static IEnumerable<(string, string, double, string)> ConvRows(double minSeconds)
    {
        foreach (var (n, c, h, w, k, r, pad) in ConvShapes)
        {
            using var x = rand(n, c, h, w, requires_grad: true);
            using var weight = rand(k, c, r, r, requires_grad: true);
            var p = h + 2 * pad - r + 1;
            var flops = 2.0 * n * k * c * r * r * p * p;
            var testCase = $"N{n} {c}->{k} {r}x{r} on {h}x{w} pad {pad}";
            long[] padding = [pad, pad];
            var seconds = Timed(() => F.conv2d(x, weight, padding: padding), minSeconds);
            yield return ("conv2d-forward", testCase, flops / seconds / 1e9, "GFLOP/s");
            using var y = F.conv2d(x, weight, padding: padding);
            using var dy = rand_like(y);
            seconds = Timed(() => autograd.grad([y], [x, weight], [dy], retain_graph: true), minSeconds);
            yield return ("conv2d-backward", testCase, 2 * flops / seconds / 1e9, "GFLOP/s");
        }
    }

    private static IEnumerable<(string, string, double, string)> ModelRows(string[] names, int[] batches, double minSeconds)
    {
        foreach (var name in names)
        {
            foreach (var batch in batches)
            {
                manual_seed(0);
                using var model = Models.ByName[name]();
                using var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
                using var x = rand(batch, 1, 28, 28);
                using var y = randint(0, 10, [batch]);
                model.train();
                var seconds = Timed(() =>
                {
                    // The model's parameters are the optimiser's: PyTorch's optimiser.zero_grad(set_to_none=True).
                    model.zero_grad(set_to_none: true);
                    F.cross_entropy(model.forward(x), y).backward();
                    optimizer.step();
                }, minSeconds);
                yield return ("train-step", $"{name} batch {batch}", batch / seconds, "images/s");
                model.eval();
                using (no_grad())
                {
                    seconds = Timed(() => model.forward(x), minSeconds);
                }
                yield return ("inference", $"{name} batch {batch}", batch / seconds, "images/s");
            }
        }
    }
}
