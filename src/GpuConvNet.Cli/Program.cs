using GpuConvNet.Cli;

Terminal.Configure();
// Kernel choices measured per device are kept with the other per-user caches, so every run and resume uses the same.
GpuConvNet.Kernels.KernelTuning.CacheDirectory = Path.Combine(GpuConvNet.Data.MnistOptions.CacheRoot(), "tuning");
return CommandLine.Run(GpuConvNetCommand.Create(), args);
