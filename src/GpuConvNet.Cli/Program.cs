using System.CommandLine;
using GpuConvNet.Cli;
using GpuConvNet.Cli.Commands;

var root = new RootCommand("gpuconvnet: train, evaluate and use MNIST digit classifiers whose kernels run on CUDA, OpenCL or the CPU")
{
    DevicesCommand.Create(),
    TrainCommand.Create(),
    EvalCommand.Create(),
    PredictCommand.Create(),
    CompareCommand.Create(),
    InfoCommand.Create(),
};
return CommandLine.Run(root, args);
