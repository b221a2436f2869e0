using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;
using GpuConvNet.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// Inference in images/s: a model's forward on our kernels on each device, beside ONNX Runtime's CPU provider running the
/// same model exported as ONNX (the baseline), in the same process on the same images. Before timing, ORT's logits and
/// ours are checked to agree (1e-5 + 1e-4·|ORT|, as the tests).
/// </summary>
public class OnnxRuntimeBenchmarks : DeviceBenchmark
{
    private Model model = null!;
    private MemoryBuffer<float> images = null!;
    private InferenceSession session = null!;
    private RunOptions runOptions = null!;
    private OrtValue input = null!;
    private OrtValue output = null!;
    private string[] inputNames = [];
    private string[] outputNames = [];

    /// <summary>Model name.</summary>
    [Params("cnn", "fast")]
    public string Model { get; set; } = "cnn";

    /// <summary>Images per call.</summary>
    [Params(1, 64, 256)]
    public int Batch { get; set; } = 64;

    /// <inheritdoc />
    public override double Flops => 0;

    /// <inheritdoc />
    public override double Bytes => 0;

    /// <inheritdoc />
    public override double Images => Batch;

    /// <summary>Builds the model, exports it into an ORT session (default options: all graph optimisations, a thread per core) and checks both agree.</summary>
    protected override void Prepare()
    {
        model = Own(ModelZoo.Get(Model).Create());
        model.Build(Accelerator, Batch, seed: 1);
        var pixels = new float[Batch * model.Input.Size];
        var random = new Random(1);
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = ((float)random.Next(256) / 255f - 0.1307f) / 0.3081f;
        }
        images = Allocate(pixels);
        var bytes = OnnxExport.ToProto(model, TrainedOn.Mnist, new Dictionary<string, string>()).ToByteArray();
        session = Own(new InferenceSession(bytes));
        runOptions = Own(new RunOptions());
        inputNames = [OnnxFormat.InputName];
        outputNames = [OnnxFormat.LogitsName];
        input = Own(OrtValue.CreateTensorValueFromMemory(pixels, [Batch, model.Input.Channels, model.Input.Height, model.Input.Width]));
        output = Own(OrtValue.CreateTensorValueFromMemory(new float[Batch * model.Classes], [Batch, model.Classes]));
        OnnxRuntime();
        var ours = model.Forward(images.View, Batch, StepContext.Inference).SubView(0, Batch * model.Classes);
        var logits = new float[Batch * model.Classes];
        using (var copy = Accelerator.Allocate<float>(logits.Length))
        {
            Accelerator.Launch(GpuConvNet.Kernels.TensorKernels.CopyInto, new Index1D(logits.Length), ours, copy.View);
            copy.CopyToHost(logits);
        }
        var expected = output.GetTensorDataAsSpan<float>().ToArray();
        Verify.Close($"{Model} on {Device} against ONNX Runtime", expected.Select((v, i) => (i, (double)v)).ToList(), logits, 1e-5, 1e-4);
    }

    /// <summary>ONNX Runtime's CPU provider on <see cref="Batch"/> images (input and output bound to preallocated tensors).</summary>
    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => session.Run(runOptions, inputNames, [input], outputNames, [output]);

    /// <summary>Our forward on <see cref="Device"/> (inference: no dropout, running statistics) on <see cref="Batch"/> images.</summary>
    [Benchmark]
    public void Ours()
    {
        model.Forward(images.View, Batch, StepContext.Inference);
        Accelerator.Synchronize();
    }
}
