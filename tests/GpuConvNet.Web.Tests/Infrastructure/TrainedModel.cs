using GpuConvNet.Cli;

namespace GpuConvNet.Web.Tests.Infrastructure;

/// <summary>
/// A lenet5 trained for one epoch on MNIST on the best accelerator here (about 98 % on the test set, a few seconds
/// on PoCL), trained once for the whole test run through the command line, as a user would.
/// </summary>
public static class TrainedModel
{
    private static readonly Lazy<string> Trained = new(Train, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The checkpoint's path.</summary>
    public static string Checkpoint
    {
        get
        {
            string data = WebTestEnvironment.MnistDirectory;
            return Trained.Value;
        }
    }

    private static string Train()
    {
        string directory = Path.Combine(Path.GetTempPath(), "gpuconvnet-web-tests-" + Guid.NewGuid().ToString("N"));
        int code = CommandLine.Run(GpuConvNetCommand.Create(),
            ["train", "--model", "lenet5", "--epochs", "1", "--device", "best", "--seed", "1", "--data", WebTestEnvironment.MnistDirectory, "--out", directory]);
        if (code != 0)
        {
            throw new InvalidOperationException($"training the test model failed with exit code {code}");
        }
        return Path.Combine(directory, "lenet5.safetensors");
    }
}
