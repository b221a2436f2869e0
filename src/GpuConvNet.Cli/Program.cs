using GpuConvNet.Cli;

Terminal.Configure();
return CommandLine.Run(GpuConvNetCommand.Create(), args);
