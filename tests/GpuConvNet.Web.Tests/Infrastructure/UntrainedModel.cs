using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Nn;

namespace GpuConvNet.Web.Tests.Infrastructure;

/// <summary>An untrained mlp's checkpoint: enough for the server's plumbing, and needs no MNIST.</summary>
public static class UntrainedModel
{
    /// <summary>Writes the checkpoint as <paramref name="path"/> and returns the path.</summary>
    public static string Save(string path)
    {
        using var model = ModelZoo.Get("mlp").Create();
        using var cpu = Accelerators.Create("cpu");
        model.Build(cpu, 8, seed: 1);
        ModelCheckpoint.Save(path, model, new Dictionary<string, string> { ["epoch"] = "3" });
        return path;
    }
}
