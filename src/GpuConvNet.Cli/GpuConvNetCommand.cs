using System.CommandLine;
using GpuConvNet.Cli.Commands;

namespace GpuConvNet.Cli;

/// <summary>The <c>gpuconvnet</c> command tree: what Program.cs runs, and what tests run in-process.</summary>
public static class GpuConvNetCommand
{
    /// <summary>
    /// A fresh root command with every subcommand. A plain <see cref="Command"/> named gpuconvnet rather than a
    /// <see cref="RootCommand"/>, whose name, and so every usage line, would be the executable's (GpuConvNet.Cli).
    /// </summary>
    public static Command Create() => new("gpuconvnet", "Train, evaluate and use MNIST digit classifiers whose kernels run on CUDA, OpenCL or the CPU")
    {
        new System.CommandLine.Help.HelpOption(),
        new VersionOption(),
        DevicesCommand.Create(),
        TrainCommand.Create(),
        EvalCommand.Create(),
        PredictCommand.Create(),
        ServeCommand.Create(),
        CompareCommand.Create(),
        ShapesCommand.Create(),
        InfoCommand.Create(),
        ExportCommand.Create(),
        TuneCommand.Create(),
    };
}
