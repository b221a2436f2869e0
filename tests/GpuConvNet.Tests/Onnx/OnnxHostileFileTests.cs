using Google.Protobuf;
using GpuConvNet.Checkpoints;
using GpuConvNet.Onnx;
using GpuConvNet.Tests.Data;
using GpuConvNet.Tests.Infrastructure;
using Onnx;

namespace GpuConvNet.Tests.Onnx;

/// <summary>
/// Files an attacker or an accident could hand to <c>predict</c>, <c>eval</c> or <c>serve</c>: each is refused with one
/// line that names the file (and the node, op, attribute or tensor at fault), within memory of the file's own size, and
/// external data is read only from inside the model's folder.
/// </summary>
[TestClass]
public sealed class OnnxHostileFileTests
{
    // Far below what any refused declaration would have allocated (512 MiB and more).
    private const long AllocationBudget = 16L << 20;

    [TestMethod]
    public void Truncated_IsRefused()
    {
        using var dir = new TempDirectory();
        var bytes = Lenet().ToByteArray();
        string path = dir.Write("cut.onnx", bytes[..(bytes.Length / 2)]);

        string message = Refusal(path);

        StringAssert.StartsWith(message, $"{path} is not an ONNX model: ");
    }

    [TestMethod]
    public void RandomBytesAndAnEmptyFile_AreRefused()
    {
        using var dir = new TempDirectory();
        var noise = new byte[4096];
        new Random(26).NextBytes(noise);
        StringAssert.Contains(Refusal(dir.Write("noise.onnx", noise)), "noise.onnx");
        Assert.AreEqual($"{dir.File("empty.onnx")} has no graph; it is not an ONNX model (or the file is cut short)", Refusal(dir.Write("empty.onnx", [])));
    }

    [TestMethod]
    public void MissingFile_SaysSo()
    {
        using var dir = new TempDirectory();
        StringAssert.StartsWith(Refusal(dir.File("absent.onnx")), $"model {dir.File("absent.onnx")} does not exist;");
    }

    [TestMethod]
    public void FileLargerThanTheCap_IsRefusedBeforeItIsRead()
    {
        using var dir = new TempDirectory();
        string path = dir.File("huge.onnx");
        using (var stream = File.Create(path))
        {
            // Sparse: no disk is written, and the file is not read.
            stream.SetLength(OnnxModel.MaxFileBytes + 1);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();

        string message = Refusal(path);

        Assert.IsLessThan(AllocationBudget, GC.GetAllocatedBytesForCurrentThread() - before);
        StringAssert.Contains(message, "more than the 268,435,456 gpuconvnet reads");
    }

    [TestMethod]
    public void TensorDeclaringMoreThanItHolds_IsRefused()
    {
        var proto = Lenet();
        var weight = Initializer(proto, "conv1.weight");
        weight.Dims[0] = 7;

        string message = Refusal(proto);

        Assert.AreEqual("lenet5.onnx: tensor 'conv1.weight' declares 175 elements ([7, 1, 5, 5]) but holds 600 bytes (needs 700)", message);
    }

    [TestMethod]
    [DataRow(1L << 22, "declares 104,857,600 elements ([4194304, 1, 5, 5]) but holds 600 bytes (needs 419430400)")]
    [DataRow(21_474_837L, "declares [21474837, 1, 5, 5] elements, more than the 268,435,456 a model may hold in all")]
    [DataRow(1L << 60, "declares [1152921504606846976, 1, 5, 5] elements, more than the 268,435,456 a model may hold in all")]
    public void HugeDeclaredTensor_IsRefused_WithoutAllocatingIt(long outputs, string expected)
    {
        // Weights of 400 MiB, 2 GiB (21,474,837 × 25 floats) and 2^62 floats, each declared over 600 bytes of data.
        var proto = Lenet();
        Initializer(proto, "conv1.weight").Dims[0] = outputs;
        long before = GC.GetAllocatedBytesForCurrentThread();

        string message = Refusal(proto);

        Assert.IsLessThan(AllocationBudget, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.AreEqual($"lenet5.onnx: tensor 'conv1.weight' {expected}", message);
    }

    [TestMethod]
    public void ExternalData_InsideTheModelsFolder_IsRead()
    {
        using var dir = new TempDirectory();
        var proto = Lenet();
        var inline = OnnxModel.FromProto(proto.Clone(), dir.File("inline.onnx"));
        var weight = Initializer(proto, "fc1.weight");
        Directory.CreateDirectory(dir.File("data"));
        File.WriteAllBytes(dir.File("data/weights.bin"), [.. new byte[100], .. weight.RawData.ToByteArray()]);
        MakeExternal(weight, "data/weights.bin", offset: 100);
        string path = dir.File("external.onnx");
        File.WriteAllBytes(path, proto.ToByteArray());
        var accelerator = Backends.Get("cpu");

        using var a = inline.Build(accelerator, maxBatch: 2);
        using var b = OnnxModel.Read(path).Build(accelerator, maxBatch: 2);

        var inputs = TestData.Uniform(2 * 784, seed: 3);
        CollectionAssert.AreEqual(OnnxTestModels.Ours(a, inputs, 2), OnnxTestModels.Ours(b, inputs, 2));
    }

    [TestMethod]
    [DataRow("/etc/passwd", "only a relative path inside the model's folder is read")]
    [DataRow("../outside.bin", "only a relative path inside the model's folder is read")]
    [DataRow("data/../../outside.bin", "only a relative path inside the model's folder is read")]
    [DataRow("link/weights.bin", "through a symbolic link")]
    [DataRow("weights.bin", "needs bytes 4096..4696 of weights.bin, which has 2400")]
    public void ExternalData_OutsideTheFolderOrTheFile_IsRefused(string location, string expected)
    {
        using var dir = new TempDirectory();
        using var outside = new TempDirectory();
        File.WriteAllBytes(outside.File("weights.bin"), new byte[2400]);
        File.WriteAllBytes(outside.File("outside.bin"), new byte[2400]);
        File.WriteAllBytes(dir.File("weights.bin"), new byte[2400]);
        Directory.CreateSymbolicLink(dir.File("link"), outside.Path);
        var proto = Lenet();
        MakeExternal(Initializer(proto, "conv1.weight"), location, offset: location == "weights.bin" ? 4096 : 0);
        string path = dir.File("model.onnx");
        File.WriteAllBytes(path, proto.ToByteArray());

        string message = Refusal(path);

        StringAssert.StartsWith(message, $"{path}: tensor 'conv1.weight' ");
        StringAssert.Contains(message, expected);
    }

    [TestMethod]
    public void Cycle_IsRefused_NamingItsNodes()
    {
        var proto = Lenet();
        var nodes = proto.Graph.Node;
        // pool1 reads conv2's ReLU, which (through conv2) reads pool1: a loop.
        nodes.Single(n => n.Name == "pool1").Input[0] = "conv2.relu";

        string message = Refusal(proto);

        StringAssert.StartsWith(message, "lenet5.onnx: the graph has a cycle: node 'pool1' (MaxPool), node 'conv2' (Conv), node 'conv2.relu' (Relu)");
    }

    [TestMethod]
    public void UnsupportedOp_IsRefused_NamingTheNodeAndTheOp()
    {
        var proto = Lenet();
        proto.Graph.Node.Single(n => n.Name == "conv1.relu").OpType = "Tanh";

        StringAssert.StartsWith(Refusal(proto), "lenet5.onnx: node 'conv1.relu' (Tanh) is not supported: gpuconvnet runs Conv, MaxPool, Gemm");
    }

    [TestMethod]
    [DataRow("group", 2L, "node 'conv2' (Conv) has group=2; gpuconvnet supports only group=1")]
    [DataRow("dilations", 2L, "node 'conv2' (Conv) has dilations=[2, 2]; gpuconvnet supports only 1s")]
    [DataRow("strides", 3L, "node 'conv2' (Conv) has strides=[3, 1]; gpuconvnet supports two equal values")]
    public void UnsupportedAttribute_IsRefused_NamingTheNodeAndTheAttribute(string attribute, long value, string expected)
    {
        var proto = Lenet();
        var conv = proto.Graph.Node.Single(n => n.Name == "conv2");
        conv.Attribute.Add(attribute == "group" ? GraphWriter.Int(attribute, value) : GraphWriter.Ints(attribute, value, attribute == "strides" ? 1 : value));

        StringAssert.StartsWith(Refusal(proto), $"lenet5.onnx: {expected}");
    }

    [TestMethod]
    public void BranchingGraph_IsRefused_AsNotSequential()
    {
        var proto = Lenet();
        var add = new NodeProto { Name = "skip", OpType = "Add" };
        add.Input.Add("pool1");
        add.Input.Add("pool1");
        add.Output.Add("skip");
        proto.Graph.Node.Insert(3, add);

        StringAssert.StartsWith(Refusal(proto), "lenet5.onnx: node 'skip' (Add) reads 'pool1', 'pool1', not the previous node's output");
    }

    [TestMethod]
    public void UnknownOpset_IsRefused()
    {
        var proto = Lenet();
        proto.OpsetImport[0].Version = 99;

        Assert.AreEqual("lenet5.onnx: the graph declares ONNX opset 99; gpuconvnet reads opsets 9 to 23", Refusal(proto));
    }

    private static string Refusal(ModelProto proto) => Refusal(() => OnnxModel.FromProto(proto, "lenet5.onnx"));

    private static string Refusal(string path) => Refusal(() => OnnxModel.Read(path));

    private static string Refusal(Func<OnnxModel> read)
    {
        var e = Assert.ThrowsExactly<UserInputException>(() => read());
        Assert.DoesNotContain('\n', e.Message, $"one line: {e.Message}");
        return e.Message;
    }

    private static ModelProto Lenet()
    {
        using var model = OnnxTestModels.Built("lenet5", Backends.Get("cpu"), maxBatch: 1);
        return OnnxExport.ToProto(model, TrainedOn.Mnist, new Dictionary<string, string>());
    }

    private static TensorProto Initializer(ModelProto proto, string name) => proto.Graph.Initializer.Single(t => t.Name == name);

    private static void MakeExternal(TensorProto tensor, string location, long offset)
    {
        tensor.RawData = ByteString.Empty;
        tensor.DataLocation = TensorProto.Types.DataLocation.External;
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }
}
