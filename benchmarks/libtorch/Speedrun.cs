using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GpuConvNet.LibTorchBaseline;

/// <summary>
/// benchmarks/pytorch/speedrun.py through libtorch, step for step: the `fast` model, MNIST from the IDX files
/// normalised with (0.1307, 0.3081), Adam with the one-cycle rate set before every step, batch 128, 2 epochs (fewer
/// with --epochs, for a smoke test) over all 60,000 training images in a fresh random order each, the test set evaluated once at the end, timed from data in
/// memory to the final evaluation. Prints one JSON line per seed: {"seed", "seconds", "train_seconds", "accuracy",
/// "device"}. Each step runs in its own dispose scope, as a .NET user frees a step's tensors.
/// </summary>
internal static class Speedrun
{
    public static readonly string[] Options = ["--data", "--seeds", "--threads", "--device", "--epochs"];

    public static void Run(Arguments args)
    {
        var device = args.Get("--device", "cpu");
        if (device != "cpu")
        {
            throw new ArgumentException($"--device {device}: TorchSharp-cpu has only the cpu device");
        }
        var data = args.Get("--data", Path.Combine("..", "shared", "data", "mnist"));
        var seeds = args.GetIntList("--seeds", [1, 2, 3, 4, 5]);
        var epochs = args.GetInt("--epochs", 2);
        set_num_threads(args.GetInt("--threads", Environment.ProcessorCount));
        using var trainX = Normalise(Idx(Path.Combine(data, "train-images-idx3-ubyte.gz")));
        using var trainY = Idx(Path.Combine(data, "train-labels-idx1-ubyte.gz"));
        using var testX = Normalise(Idx(Path.Combine(data, "t10k-images-idx3-ubyte.gz")));
        using var testY = Idx(Path.Combine(data, "t10k-labels-idx1-ubyte.gz"));
        foreach (var seed in seeds)
        {
            Console.WriteLine(JsonSerializer.Serialize(Train(seed, trainX, trainY, testX, testY, epochs)));
        }
    }

    /// <summary>An IDX file: images as uint8 (count, 1, rows, cols), labels as int64 (count).</summary>
    private static Tensor Idx(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no MNIST file {path}: pass the folder with --data", path);
        }
        using var file = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        file.CopyTo(memory);
        var bytes = memory.ToArray();
        var magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        if (magic == 0x803)
        {
            var rows = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8));
            var cols = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(12));
            return tensor(bytes[16..], [count, 1, rows, cols]);
        }
        using var labels = tensor(bytes[8..]);
        return labels.to(ScalarType.Int64);
    }

    private static Tensor Normalise(Tensor images)
    {
        using (images)
        using (NewDisposeScope())
        {
            return ((images.to(ScalarType.Float32) / 255 - 0.1307) / 0.3081).MoveToOuterDisposeScope();
        }
    }

    /// <summary>From <c>peak</c>/25 up to <c>peak</c> over the first quarter, then half a cosine down to <c>peak</c>/1e4.</summary>
    private static double OneCycle(double step, int total, double peak)
    {
        var progress = step / total;
        double start = peak / 25, end = peak / 1e4;
        return progress < 0.25
            ? start + (peak - start) * progress / 0.25
            : end + (peak - end) * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1.0, (progress - 0.25) / 0.75)));
    }

    private static Dictionary<string, object> Train(int seed, Tensor trainX, Tensor trainY, Tensor testX, Tensor testY,
        int epochs, int batch = 128, double peak = 4e-3)
    {
        manual_seed(seed);
        using var model = Models.Fast();
        using var optimizer = optim.Adam(model.parameters(), lr: peak);
        var images = trainX.shape[0];
        var steps = epochs * (int)((images + batch - 1) / batch);
        var clock = Stopwatch.StartNew();
        var step = 0;
        model.train();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            using var order = randperm(images);
            for (long start = 0; start < images; start += batch)
            {
                using var scope = NewDisposeScope();
                var index = order[TensorIndex.Slice(start, start + batch)];
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = OneCycle(step + 0.5, steps, peak);
                }
                var loss = F.cross_entropy(model.forward(trainX[index]), trainY[index]);
                // The model's parameters are the optimiser's: PyTorch's optimizer.zero_grad(set_to_none=True).
                model.zero_grad(set_to_none: true);
                loss.backward();
                optimizer.step();
                step++;
            }
        }
        var trained = clock.Elapsed.TotalSeconds;
        model.eval();
        long correct = 0;
        using (no_grad())
        {
            for (long i = 0; i < testX.shape[0]; i += 1000)
            {
                using var scope = NewDisposeScope();
                var range = TensorIndex.Slice(i, i + 1000);
                correct += model.forward(testX[range]).argmax(1).eq(testY[range]).sum().item<long>();
            }
        }
        return new()
        {
            ["seed"] = seed,
            ["seconds"] = clock.Elapsed.TotalSeconds,
            ["train_seconds"] = trained,
            ["accuracy"] = (double)correct / testX.shape[0],
            ["device"] = "cpu",
        };
    }
}
