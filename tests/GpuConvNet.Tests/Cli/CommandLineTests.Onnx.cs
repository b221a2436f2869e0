using System.Globalization;
using GpuConvNet.Cli;
using GpuConvNet.Imaging;
using GpuConvNet.Tests.Data;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Cli;

/// <summary>The commands around ONNX models: export, and predict, eval and serve given an .onnx file.</summary>
public sealed partial class CommandLineTests
{
    [TestMethod]
    public void Export_ThenPredictAndServe_TakeTheOnnxModel_AndPredictAsTheCheckpointDoes()
    {
        using var dir = new TempDirectory();
        string checkpoint = SaveMlp(dir);
        string seven = dir.File("seven.png");
        PngFile.Write(seven, Digit(seven: true));

        var export = Run("export", checkpoint);

        Assert.AreEqual(0, export.Code, export.Error);
        string onnx = Path.ChangeExtension(checkpoint, ".onnx");
        StringAssert.Contains(export.Out, $"wrote {onnx}: mlp, ");
        var fromCheckpoint = Run("predict", checkpoint, seven, "--device", "cpu", "--format", "json");
        var fromOnnx = Run("predict", onnx, seven, "--device", "cpu", "--format", "json");
        Assert.AreEqual(0, fromOnnx.Code, fromOnnx.Error);
        Assert.AreEqual(fromCheckpoint.Out, fromOnnx.Out, "the same probabilities, to the last digit printed");
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var serve = Run("serve", onnx, "--device", "cpu", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture));
        StringAssert.StartsWith(serve.Error, $"gpuconvnet: cannot listen on 127.0.0.1:{port}: ", "serve loaded the ONNX model, then found the port taken");
    }

    [TestMethod]
    public void Export_ToANameNotEndingInOnnx_AndPredict_WithAnUnsupportedGraph_ExitWith1AndOneLine()
    {
        using var dir = new TempDirectory();
        string checkpoint = SaveMlp(dir);
        var wrongName = Run("export", checkpoint, "-o", dir.File("model.bin"));
        Assert.AreEqual(CommandLine.Failure, wrongName.Code, wrongName.Error);
        Assert.AreEqual($"gpuconvnet: --out {dir.File("model.bin")} does not end in .onnx; ONNX models are .onnx files (predict, eval and serve tell them by it)", wrongName.Error.TrimEnd());

        string onnx = dir.File("tanh.onnx");
        Assert.AreEqual(0, Run("export", checkpoint, "-o", onnx).Code);
        var proto = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx));
        proto.Graph.Node.First(n => n.OpType == "Relu").OpType = "Tanh";
        File.WriteAllBytes(onnx, Google.Protobuf.MessageExtensions.ToByteArray(proto));
        string seven = dir.File("seven.png");
        PngFile.Write(seven, Digit(seven: true));
        var refused = Run("predict", onnx, seven, "--device", "cpu");
        Assert.AreEqual(CommandLine.Failure, refused.Code, refused.Error);
        AssertOneLine(refused.Error);
        StringAssert.StartsWith(refused.Error, $"gpuconvnet: {onnx}: node 'fc1.relu' (Tanh) is not supported: gpuconvnet runs Conv, MaxPool, Gemm");
    }

    [TestMethod]
    public void Eval_OfTheExport_GivesTheCheckpointsReport()
    {
        Backends.Get("opencl");
        using var dir = new TempDirectory();
        string checkpoint = SaveMlp(dir);
        string onnx = dir.File("mlp.onnx");
        Assert.AreEqual(0, Run("export", checkpoint, "-o", onnx).Code);
        string device = Backends.DeviceIdFor("opencl");

        var fromCheckpoint = Run("eval", checkpoint, "--data", SharedData.MnistDirectory, "--device", device, "-o", dir.File("a"));
        var fromOnnx = Run("eval", onnx, "--data", SharedData.MnistDirectory, "--device", device, "-o", dir.File("b"));

        Assert.AreEqual(0, fromOnnx.Code, fromOnnx.Error);
        StringAssert.Contains(fromOnnx.Out, $"mlp from {onnx} (epoch 1)");
        string Report(string output) => output.Split('\n').Single(l => l.StartsWith("test: accuracy", StringComparison.Ordinal));
        Assert.AreEqual(Report(fromCheckpoint.Out), Report(fromOnnx.Out), "the same accuracy, loss and F1 on MNIST's test set");
    }
}
