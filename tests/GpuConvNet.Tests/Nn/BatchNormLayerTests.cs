using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;
using GpuConvNet.Tests.Data;
using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.Training;

namespace GpuConvNet.Tests.Nn;

/// <summary>The batch-norm layer in a model: batch statistics in training, PyTorch's tensor names and dtypes in checkpoints.</summary>
[TestClass]
public sealed class BatchNormLayerTests
{
    [TestMethod]
    public void Checkpoint_HoldsRunningStatisticsAndTheCounter_UnderPyTorchsNames_AndLoadsThemBack()
    {
        using var dir = new TempDirectory();
        var cpu = Backends.Get("cpu");
        string path = dir.File("fast.safetensors");
        using var model = ModelZoo.Get("fast").Create();
        model.Build(cpu, 4, seed: 1);
        var x = TestData.Uniform(4 * 784, seed: 5, low: 0f, high: 1f);
        using var input = cpu.Allocate(x);
        // Two training forwards: the running statistics move and the counter counts.
        model.Forward(input.View, 4, new StepContext(true, 1, 0));
        model.Forward(input.View, 4, new StepContext(true, 1, 1));
        ModelCheckpoint.Save(path, model, new Dictionary<string, string>());

        var file = SafeTensors.Read(path);
        foreach (string name in new[] { "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn2.running_var", "bn3.running_mean" })
        {
            Assert.AreEqual("F32", file.Find(name)?.DType, name);
        }
        var counter = file.Find("bn1.num_batches_tracked")!;
        Assert.AreEqual("I64", counter.DType);
        Assert.IsEmpty(counter.Shape, "a scalar, as PyTorch's");
        Assert.AreEqual(2L, file.ReadInt64Scalar("bn1.num_batches_tracked"));
        var runningMean = file.ReadFloats("bn1.running_mean");
        Assert.IsTrue(runningMean.Any(v => v != 0f), "the running mean moved from 0");

        var (loaded, _) = LoadedModel.Open(path, cpu, maxBatch: 4);
        using (loaded)
        {
            Assert.AreEqual(2L, loaded.Layers.OfType<BatchNorm>().First().BatchesTracked);
            CollectionAssert.AreEqual(runningMean, loaded.States.First(s => s.Name == "bn1.running_mean").Value.ToArray());
            Assert.IsFalse(loaded.Parameters.Any(p => p.Name.Contains("running", StringComparison.Ordinal)), "running statistics are not trained");
            var expected = model.Forward(input.View, 4, StepContext.Inference).SubView(0, 40);
            var expectedHost = Copy(cpu, expected);
            var actual = Copy(cpu, loaded.Forward(input.View, 4, StepContext.Inference).SubView(0, 40));
            CollectionAssert.AreEqual(expectedHost, actual, "the loaded model predicts as the saved one");
        }
    }

    [TestMethod]
    public void TrainingForward_NormalisesEachChannelOverTheBatch()
    {
        var cpu = Backends.Get("cpu");
        var layer = new BatchNorm();
        layer.Build(cpu, new Shape(3, 4, 5), 6, new Random(1));
        var x = TestData.Uniform(6 * 60, seed: 8, low: 2f, high: 9f);
        using var input = cpu.Allocate(x);

        var y = Copy(cpu, layer.Forward(input.View, 6, new StepContext(true, 1, 0)));

        for (int c = 0; c < 3; c++)
        {
            var values = Enumerable.Range(0, 6).SelectMany(n => Enumerable.Range(0, 20).Select(s => (double)y[(n * 3 + c) * 20 + s])).ToList();
            double mean = values.Average();
            double variance = values.Select(v => (v - mean) * (v - mean)).Average();
            Assert.AreEqual(0, mean, 1e-5, $"channel {c} mean");
            Assert.AreEqual(1, variance, 1e-3, $"channel {c} variance (eps 1e-5 aside)");
        }
    }

    [TestMethod]
    public void OneCycleSchedule_WarmsUpForAQuarter_ThenDecaysAlongACosine()
    {
        var schedule = new LearningRateSchedule(ScheduleKind.OneCycle, 4e-3, Epochs: 2);
        Assert.AreEqual(4e-3 / 25, schedule.At(1, 0), 1e-12, "start: a 25th");
        Assert.AreEqual(4e-3, schedule.At(1, 0.5), 1e-12, "a quarter of the way (half of epoch 1 of 2): the peak");
        Assert.AreEqual(4e-3 / 1e4, schedule.At(2, 1), 1e-12, "the end: a 10,000th");
        var rates = Enumerable.Range(0, 101).Select(i => schedule.At(1 + i / 50, i % 50 / 50.0)).ToList();
        for (int i = 1; i < rates.Count; i++)
        {
            Assert.IsTrue(i <= 25 ? rates[i] >= rates[i - 1] : rates[i] <= rates[i - 1] + 1e-15, $"step {i}: up, then down");
        }
    }

    private static float[] Copy(Accelerator accelerator, ArrayView<float> view)
    {
        using var copy = accelerator.Allocate<float>(view.Length);
        accelerator.Launch(GpuConvNet.Kernels.TensorKernels.CopyInto, new Index1D(view.Length), view, copy.View);
        return copy.ToArray();
    }
}
