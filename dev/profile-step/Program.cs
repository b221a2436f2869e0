// Per-kernel time of training steps: dotnet run --project dev/profile-step -c Release -- MODEL DEVICE [BATCH] [STEPS] [--no-lane-loops] [--no-fusion]
using GpuConvNet.Compute;
using GpuConvNet.Nn;
using GpuConvNet.Training;

string modelName = args.Length > 0 ? args[0] : "mlp";
string deviceId = args.Length > 1 ? args[1] : "cpu";
int batch = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 64;
int steps = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 20;

using var accelerator = Accelerators.Create(deviceId);
if (args.Contains("--no-lane-loops") && accelerator is GpuConvNet.Compute.OpenCL.OpenCLAccelerator openCL)
{
    openCL.LaneLoops = false;
}
using var model = ModelZoo.Get(modelName).Create();
model.FuseBlocks = !args.Contains("--no-fusion");
model.Build(accelerator, batch, seed: 1);
var random = new Random(1);
var images = new byte[batch * steps * 784];
random.NextBytes(images);
var labels = Enumerable.Range(0, batch * steps).Select(_ => random.Next(10)).ToArray();
using var data = new DeviceDataset(accelerator, images, labels, 28, 28, GpuConvNet.Kernels.Normalization.Mnist);
var settings = new TrainingSettings(1, batch, OptimizerKind.Adam, new LearningRateSchedule(ScheduleKind.Constant, 1e-3, 1), 1);
using var trainer = new Trainer(model, settings);
trainer.TrainEpoch(data, 1, null, CancellationToken.None); // warm-up: compiles every kernel
var clock = System.Diagnostics.Stopwatch.StartNew();
trainer.TrainEpoch(data, 2, null, CancellationToken.None);
Console.WriteLine($"{modelName} on {accelerator.Name}, batch {batch}: {batch * steps / clock.Elapsed.TotalSeconds:F0} images/s unprofiled");
accelerator.Profiler = new KernelProfiler();
trainer.TrainEpoch(data, 3, null, CancellationToken.None);
var total = accelerator.Profiler.Total;
foreach (var (kernel, launches, time) in accelerator.Profiler.Results)
{
    Console.WriteLine($"{kernel,-44} {launches / steps,4}/step {time.TotalMilliseconds / steps,9:F3} ms/step {time / total,7:P1}");
}
