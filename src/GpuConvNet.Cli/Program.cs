using GpuConvNet.Cli;

Terminal.Configure();
// Kernel choices measured per device are kept with the other per-user caches, so every run and resume uses the same.
GpuConvNet.Kernels.KernelTuning.CacheDirectory = Path.Combine(GpuConvNet.Data.MnistOptions.CacheRoot(), "tuning");
// A rank of an MPI job (train under mpirun or srun) leaves it as it ends: cleanly, or ending every rank after a failure.
return GpuConvNet.Distributed.ProcessGroups.Leave(CommandLine.Run(GpuConvNetCommand.Create(), args));
