using System.Diagnostics;
using GpuConvNet.Compute;
using GpuConvNet.Data;
using GpuConvNet.Nn;
using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.Training;

namespace GpuConvNet.Tests.Training;

/// <summary>
/// Real training on real MNIST: a short budget that a model only passes if forward, loss, every backward and the
/// optimiser are right (a broken gradient stays near chance, or far below the threshold).
/// </summary>
[TestClass]
public sealed class TrainingOnMnistTests
{
    private static MnistData? data;

    private static MnistData Data => data ??= Mnist.Load(SharedData.MnistDirectory);

    [TestMethod]
    [DataRow("mlp", 12_000, 0.95)]
    [DataRow("mlp-small", 12_000, 0.93)]
    public void ShortTraining_OnTheCpuAccelerator_ReachesTestAccuracy(string name, int images, double threshold)
    {
        var accelerator = Backends.Get(AcceleratorKind.Cpu);
        var clock = Stopwatch.StartNew();
        var accuracy = TrainAndTest(accelerator, name, images, batch: 32, learningRate: 2e-3);
        Console.WriteLine($"{name}: {images} images, test accuracy {accuracy:P2} in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.IsGreaterThanOrEqualTo(threshold, accuracy, $"{name} after {images} images");
    }

    private static double TrainAndTest(Accelerator accelerator, string name, int images, int batch, double learningRate)
    {
        using var model = ModelZoo.Get(name).Create();
        model.Build(accelerator, batch, seed: 1);
        using var train = DeviceDataset.From(accelerator, Data.Train, Enumerable.Range(0, images).ToArray());
        using var test = DeviceDataset.From(accelerator, Data.Test);
        var settings = new TrainingSettings(1, batch, OptimizerKind.Adam, new LearningRateSchedule(ScheduleKind.Constant, learningRate, 1), Seed: 1);
        using (var trainer = new Trainer(model, settings))
        {
            trainer.TrainEpoch(train, 1, null, CancellationToken.None);
        }
        using var evaluator = new Evaluator(model, 500);
        return evaluator.Evaluate(test, keepOutputs: false).Accuracy;
    }
}
