using System.CommandLine;
using GpuConvNet.Cli.Commands;

namespace GpuConvNet.Cli;

/// <summary>The <c>gpuconvnet</c> command tree: what Program.cs runs, and what tests run in-process.</summary>
public static class GpuConvNetCommand
{
    /// <summary>A fresh root command with every subcommand.</summary>
    public static RootCommand Create() => new("gpuconvnet: train, evaluate and use MNIST digit classifiers whose kernels run on CUDA, OpenCL or the CPU")
    {
        DevicesCommand.Create(),
        TrainCommand.Create(),
        EvalCommand.Create(),
        PredictCommand.Create(),
        CompareCommand.Create(),
        InfoCommand.Create(),
    };
}
