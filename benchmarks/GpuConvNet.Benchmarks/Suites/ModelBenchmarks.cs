using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Compute;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;
using GpuConvNet.Training;
using GpuConvNet.Kernels;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// Whole models: one training step (gather, forward, loss, backward, Adam) and one inference forward, in images/s.
/// Before timing, the device forward is checked against the float64 reference forward of the whole model.
/// </summary>
public class ModelBenchmarks : DeviceBenchmark
{
    private Model model = null!;
    private DeviceDataset data = null!;
    private Trainer trainer = null!;
    private MemoryBuffer<float> images = null!;

    /// <summary>Model name.</summary>
    [Params("lenet5", "cnn")]
    public string Model { get; set; } = "lenet5";

    /// <summary>Batch size.</summary>
    [Params(64, 256)]
    public int Batch { get; set; } = 64;

    /// <inheritdoc />
    public override double Flops => 0;

    /// <inheritdoc />
    public override double Bytes => 0;

    /// <inheritdoc />
    public override double Images => Batch;

    /// <summary>Builds the model and a synthetic device dataset; checks the forward against float64.</summary>
    protected override void Prepare()
    {
        model = Own(ModelZoo.Get(Model).Create());
        model.Build(Accelerator, Batch, seed: 1);
        var random = new Random(1);
        var pixels = new byte[Batch * 2 * 784];
        random.NextBytes(pixels);
        data = Own(new DeviceDataset(Accelerator, pixels, Enumerable.Range(0, Batch * 2).Select(_ => random.Next(10)).ToArray(), 28, 28, Normalization.Mnist));
        trainer = Own(new Trainer(model, new TrainingSettings(1, Batch, OptimizerKind.Adam, new LearningRateSchedule(ScheduleKind.Constant, 1e-3, 1), 1)));
        var normalised = pixels.Take(Batch * 784).Select(p => (p / 255f - 0.1307f) / 0.3081f).ToArray();
        images = Allocate(normalised);
        const int checkedRows = 2;
        var logits = new float[checkedRows * model.Classes];
        using (var copy = Accelerator.Allocate<float>(logits.Length))
        {
            Accelerator.Launch(TensorKernels.CopyInto, new Index1D(logits.Length), model.Forward(images.View, Batch, StepContext.Inference), copy.View);
            copy.CopyToHost(logits);
        }
        var expected = model.ReferenceForward(normalised[..(checkedRows * 784)], checkedRows);
        Verify.Close($"{Model} forward on {Device}", expected.Select((v, i) => (i, v)).ToList(), logits, 2e-4, 1e-3);
    }

    /// <summary>One training step of <see cref="Batch"/> images.</summary>
    [Benchmark]
    public void TrainStep()
    {
        trainer.Step(data, data.Sequential.View, 0, Batch, 0, 1e-3f);
        Accelerator.Synchronize();
    }

    /// <summary>Inference (forward only, no dropout) of <see cref="Batch"/> images.</summary>
    [Benchmark]
    public void Inference()
    {
        model.Forward(images.View, Batch, StepContext.Inference);
        Accelerator.Synchronize();
    }
}
