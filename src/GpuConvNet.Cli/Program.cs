using GpuConvNet.Cli;

return CommandLine.Run(GpuConvNetCommand.Create(), args);
