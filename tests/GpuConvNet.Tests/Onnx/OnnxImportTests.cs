using System.Text.Json;
using Google.Protobuf;
using GpuConvNet.Checkpoints;
using GpuConvNet.Nn;
using GpuConvNet.Onnx;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Onnx;

/// <summary>
/// ONNX graphs run on our kernels: one exported by PyTorch (against PyTorch's own logits, committed beside it), and
/// every zoo model's export read back (the same layers, so the same logits and predictions as the model exported).
/// </summary>
// Not on Oclgrind: a simulator spends minutes on one cnn forward; its kernels are covered by each op's suite.
[NotOnEngines("oclgrind")]
public abstract class OnnxImportTests : AcceleratorTest
{
    public static IEnumerable<object[]> Models => ModelZoo.All.Select(r => new object[] { r.Name });

    /// <summary>
    /// pytorch-cnn.onnx (opset 13; Conv with PyTorch's folded batch norm, ReLU, MaxPool, Flatten, Gemm,
    /// BatchNormalization, Dropout removed) on the inputs its script computed: PyTorch's logits within
    /// 1e-5 + 1e-4·|PyTorch| (float32 sums of at most 288 products, in another order).
    /// </summary>
    [TestMethod]
    public void PyTorchExport_RunsOnOurKernels_WithPyTorchsLogits()
    {
        var model = OnnxModel.Read(Path.Combine(OnnxTestModels.FilesDirectory, "pytorch-cnn.onnx"));
        using var expectedFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(OnnxTestModels.FilesDirectory, "pytorch-cnn.expected.json")));
        int count = expectedFile.RootElement.GetProperty("count").GetInt32();
        var expected = expectedFile.RootElement.GetProperty("logits").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        using var built = model.Build(Accelerator, maxBatch: 4);

        var logits = OnnxTestModels.Ours(built, PyTorchInputs(count), count);

        Assert.AreEqual("pytorch-cnn", built.Name, "a graph without our metadata is named after its file");
        Assert.AreEqual(new GpuConvNet.Nn.Layers.Shape(1, 28, 28), built.Input);
        Assert.AreEqual(10, built.Classes);
        Assert.AreEqual(LossKind.SoftmaxCrossEntropy, built.Loss);
        Assert.AreEqual(GpuConvNet.Kernels.Normalization.Mnist, model.TrainedOn.Normalization, "no metadata: MNIST's normalisation");
        TestData.AssertClose(expected, logits, 1e-5, 1e-4, "pytorch-cnn logits");
    }

    [TestMethod]
    [DynamicData(nameof(Models))]
    public void Export_ThenImport_GivesTheSameLogits(string name)
    {
        // Two batches, the second partial; few images, because ILGPU's CPU accelerator emulates every lane.
        const int count = 7;
        using var original = OnnxTestModels.Built(name, Accelerator, maxBatch: 4);
        var trainedOn = TrainedOn.Mnist;
        var metadata = new Dictionary<string, string> { ["epoch"] = "3", ["validation_accuracy"] = "0.5" };
        var bytes = OnnxExport.ToProto(original, trainedOn, metadata).ToByteArray();
        var imported = OnnxModel.FromProto(global::Onnx.ModelProto.Parser.ParseFrom(bytes), $"{name}.onnx");
        using var rebuilt = imported.Build(Accelerator, maxBatch: 4);
        var inputs = TestData.Uniform(count * original.Input.Size, seed: 11, low: -0.5f, high: 2.5f);

        var expected = OnnxTestModels.Ours(original, inputs, count);
        var actual = OnnxTestModels.Ours(rebuilt, inputs, count);

        Assert.AreEqual(name, rebuilt.Name);
        Assert.AreEqual(original.Loss, rebuilt.Loss);
        Assert.AreEqual("3", imported.Metadata["epoch"], "the training summary travels in the metadata");
        Assert.AreEqual(trainedOn.Normalization, imported.TrainedOn.Normalization);
        CollectionAssert.AreEqual(trainedOn.ClassNames.ToArray(), imported.TrainedOn.ClassNames.ToArray());
        CollectionAssert.AreEqual(original.Layers.Where(l => l is not GpuConvNet.Nn.Layers.Dropout).Select(l => l.Describe()).ToArray(),
            rebuilt.Layers.Select(l => l.Describe()).ToArray(), "the same layers, ReLUs fused again, dropout gone");
        // The same layers on the same engine launch the same kernels on the same numbers: equal to the bit.
        CollectionAssert.AreEqual(expected, actual, $"{name}: logits after the round trip");
    }

    /// <summary>
    /// Graphs in the forms other exporters write (<see cref="HandWrittenGraphs"/>), run by ONNX Runtime and by us on the
    /// same inputs: logits within 1e-5 + 1e-4·|ORT|.
    /// </summary>
    [TestMethod]
    [DataRow("convolutional")]
    [DataRow("flat with sigmoid")]
    public void HandWrittenGraph_RunsAsOnnxRuntimeRunsIt(string which)
    {
        const int count = 5;
        var proto = which == "convolutional" ? HandWrittenGraphs.Convolutional(seed: 5) : HandWrittenGraphs.FlatWithSigmoid(seed: 6);
        var bytes = Google.Protobuf.MessageExtensions.ToByteArray(proto);
        var model = OnnxModel.FromProto(proto, "hand-written.onnx");
        using var built = model.Build(Accelerator, maxBatch: count);
        var inputs = TestData.Uniform(count * 784, seed: 4, low: -0.5f, high: 2.5f);

        var ours = OnnxTestModels.Ours(built, inputs, count);
        // ORT gives the graph's output: the sigmoid's probabilities where the graph ends in one, which our model leaves to the predictor.
        var expected = OnnxTestModels.OnnxRuntime(bytes, inputs, count, built.Input, built.Classes, flat: which != "convolutional");

        bool sigmoid = which != "convolutional";
        Assert.AreEqual(sigmoid ? LossKind.SigmoidBinaryCrossEntropy : LossKind.SoftmaxCrossEntropy, built.Loss);
        var comparable = sigmoid ? Array.ConvertAll(ours, v => (float)(1 / (1 + Math.Exp(-v)))) : ours;
        TestData.AssertClose(Array.ConvertAll(expected, v => (double)v), comparable, 1e-5, 1e-4, $"{which} graph");
    }

    /// <summary>The inputs of make_pytorch_cnn.py: ((n·784 + p)·7919 mod 1000) / 1000 · 2 − 0.5 in float64, then float32.</summary>
    public static float[] PyTorchInputs(int count) =>
        [.. Enumerable.Range(0, count * 784).Select(i => (float)(((long)i * 7919 % 1000) / 1000.0 * 2.0 - 0.5))];
}
