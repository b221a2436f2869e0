using GpuConvNet.Cli;

namespace GpuConvNet.Web.Tests.Infrastructure;

/// <summary>
/// Models trained once for the whole test run through the command line, as a user would, on the best accelerator
/// here: a lenet5 for one epoch on MNIST (about 97 %, a few seconds on PoCL), and a cnn for 6 epochs on 300
/// hand-drawn shapes of each kind written by 'gpuconvnet shapes' (about 93 %, 6 seconds on PoCL).
/// </summary>
public static class TrainedModel
{
    private static readonly Lazy<string> Trained = new(Train, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<string> TrainedShapes = new(TrainShapes, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The shapes model's checkpoint (needs no MNIST); $GPUCONVNET_SHAPES_CHECKPOINT names another one to measure
    /// through the page (e.g. the README's cnn trained on 500 shapes of each kind).
    /// </summary>
    public static string Shapes => Environment.GetEnvironmentVariable("GPUCONVNET_SHAPES_CHECKPOINT") is { Length: > 0 } path ? path : TrainedShapes.Value;

    /// <summary>The checkpoint's path.</summary>
    public static string Checkpoint
    {
        get
        {
            // Without MNIST: Inconclusive (a failure under CI) before anything trains.
            _ = WebTestEnvironment.MnistDirectory;
            return Trained.Value;
        }
    }

    private static string Train() => Run("lenet5", ["train", "--model", "lenet5", "--epochs", "1", "--device", "best", "--seed", "1",
        "--data", WebTestEnvironment.MnistDirectory]);

    private static string TrainShapes()
    {
        string shapes = Path.Combine(Path.GetTempPath(), "gpuconvnet-web-tests-shapes-" + Guid.NewGuid().ToString("N"));
        Run(null, ["shapes", "--out", Path.Combine(shapes, "data"), "--per-class", "300", "--seed", "1"]);
        // The prepared pictures are cached beside them, not in the user's cache.
        Environment.SetEnvironmentVariable(GpuConvNet.Data.MnistOptions.CacheVariable, Path.Combine(shapes, "cache"));
        return Run("cnn", ["train", "--model", "cnn", "--epochs", "6", "--device", "best", "--seed", "1", "--dataset", "folder:" + Path.Combine(shapes, "data")]);
    }

    // Runs the command line; with a model name, in a new output folder, returning that model's checkpoint.
    private static string Run(string? model, string[] args)
    {
        string directory = Path.Combine(Path.GetTempPath(), "gpuconvnet-web-tests-" + Guid.NewGuid().ToString("N"));
        int code = CommandLine.Run(GpuConvNetCommand.Create(), model is null ? args : [.. args, "--out", directory]);
        if (code != 0)
        {
            throw new InvalidOperationException($"gpuconvnet {string.Join(' ', args)} failed with exit code {code}");
        }
        return Path.Combine(directory, model + ".safetensors");
    }
}
