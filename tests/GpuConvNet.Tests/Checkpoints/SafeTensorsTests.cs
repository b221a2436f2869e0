using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using GpuConvNet.Checkpoints;
using GpuConvNet.Tests.Data;

namespace GpuConvNet.Tests.Checkpoints;

/// <summary>safetensors checkpoints: the byte format, round trips, validation of damaged files, model matching and atomic saves.</summary>
[TestClass]
public sealed class SafeTensorsTests
{
    private static readonly TensorSpec[] LeNetSpecs =
    [
        new("conv1.weight", [2, 1, 3, 3]),
        new("conv1.bias", [2]),
        new("fc.weight", [10, 18]),
        new("fc.bias", [10]),
        new("temperature", []),
        new("unused", [0, 4]),
    ];

    private const string Note = "lr=1e-3 + \"quoted\" <b> → ü\\";

    [TestMethod]
    public void SaveThenLoad_RoundTripsEveryBitAndTheMetadata()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.safetensors");
        var saved = SampleCheckpoint(seed: 1);
        SafeTensors.Save(path, saved);

        var loaded = SafeTensors.Load(path, LeNetSpecs);

        Assert.AreEqual("lenet", loaded.Metadata["model"]);
        Assert.AreEqual("3", loaded.Metadata["epoch"]);
        Assert.AreEqual(Note, loaded.Metadata["note"]);
        Assert.HasCount(LeNetSpecs.Length, loaded.Tensors);
        foreach (var spec in LeNetSpecs)
        {
            var original = saved[spec.Name];
            var copy = loaded[spec.Name];
            CollectionAssert.AreEqual(original.Shape, copy.Shape, spec.Name);
            CollectionAssert.AreEqual(original.Data.Select(BitConverter.SingleToInt32Bits).ToArray(), copy.Data.Select(BitConverter.SingleToInt32Bits).ToArray(), spec.Name);
        }
    }

    [TestMethod]
    public void Write_TinyCheckpoint_IsExactlyTheSpecifiedBytes()
    {
        var checkpoint = new Checkpoint([new CheckpointTensor("w", [2], [1f, 2f])], new Dictionary<string, string> { ["epoch"] = "1" });
        using var output = new MemoryStream();
        SafeTensors.Write(output, checkpoint);

        string json = """{"__metadata__":{"epoch":"1"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";
        string padded = json.PadRight((json.Length + 7) / 8 * 8);
        var expected = new List<byte>();
        expected.AddRange(BitConverter.GetBytes((ulong)padded.Length));
        expected.AddRange(Encoding.UTF8.GetBytes(padded));
        expected.AddRange([0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40]);   // 1.0f, 2.0f little-endian
        CollectionAssert.AreEqual(expected.ToArray(), output.ToArray());
    }

    [TestMethod]
    public void Write_Header_FollowsTheSpecification()
    {
        using var output = new MemoryStream();
        SafeTensors.Write(output, SampleCheckpoint(seed: 2));
        var bytes = output.ToArray();

        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.AreEqual(0ul, n % 8, "the header is padded to a multiple of 8, aligning the data");
        string header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.StartsWith("{", header);
        Assert.EndsWith("}", header.TrimEnd(' '));
        using var document = JsonDocument.Parse(header);
        var root = document.RootElement;
        Assert.AreEqual("lenet", root.GetProperty("__metadata__").GetProperty("model").GetString());
        long offset = 0;
        foreach (var spec in LeNetSpecs)
        {
            var entry = root.GetProperty(spec.Name);
            Assert.AreEqual("F32", entry.GetProperty("dtype").GetString());
            CollectionAssert.AreEqual(spec.Shape, entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray());
            var offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            long size = 4L * spec.Shape.Aggregate(1, (a, b) => a * b);
            CollectionAssert.AreEqual(new[] { offset, offset + size }, offsets, spec.Name);
            offset += size;
        }
        Assert.AreEqual(8 + (long)n + offset, bytes.Length);
        // conv1.weight's first element sits right after the header, little-endian.
        Assert.AreEqual(SampleCheckpoint(seed: 2)["conv1.weight"].Data[0], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + (int)n)));
    }

    [TestMethod]
    public void Parse_FileAsPythonWritesIt_MetadataLastAndOtherDtypes()
    {
        // Key order, spacing and dtypes as the reference implementation may produce them.
        var bytes = Build("""{"a": {"dtype": "F16", "shape": [2], "data_offsets": [8, 12]}, "b": {"dtype": "F32", "shape": [1, 2], "data_offsets": [0, 8]}, "__metadata__": {"format": "pt"}}""",
            [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0, 0, 0x3C, 0, 0x40]);
        var file = SafeTensors.Parse(bytes, "python.safetensors");
        Assert.AreEqual("pt", file.Metadata["format"]);
        Assert.AreEqual("F16", file.Find("a")!.DType);
        CollectionAssert.AreEqual(new[] { 1f, -2f }, file.ReadFloats("b"));
        var error = Assert.ThrowsExactly<UserInputException>(() => file.ReadFloats("a"));
        StringAssert.Contains(error.Message, "tensor a is F16, but only F32 tensors can be loaded");
    }

    [TestMethod]
    public void Read_TruncatedData_SaysTruncated()
    {
        using var dir = new TempDirectory();
        string path = dir.File("cut.safetensors");
        SafeTensors.Save(path, SampleCheckpoint(seed: 3));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);
        var error = Assert.ThrowsExactly<UserInputException>(() => SafeTensors.Read(path));
        // The data is 844 bytes: conv1 72 + 8, fc 720 + 40, temperature 4, unused 0.
        StringAssert.Contains(error.Message, $"{path}: not a valid safetensors checkpoint: tensor fc.bias ends at byte 840 of the data but the data has 834 bytes (the file is truncated)");
    }

    [TestMethod]
    public void Read_TruncatedInsideTheHeader_SaysTruncated()
    {
        var bytes = Build("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", [0, 0, 0, 0]);
        var error = Assert.ThrowsExactly<UserInputException>(() => SafeTensors.Parse(bytes[..20], "cut"));
        StringAssert.Contains(error.Message, "but only 12 follow (the file is truncated)");
        var tiny = Assert.ThrowsExactly<UserInputException>(() => SafeTensors.Parse([1, 2, 3], "tiny"));
        StringAssert.Contains(tiny.Message, "fewer than the 8-byte header length");
    }

    [TestMethod]
    public void Parse_AbsurdHeaderLength_IsRejectedBeforeReadingIt()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        var error = Assert.ThrowsExactly<UserInputException>(() => SafeTensors.Parse(bytes, "huge"));
        StringAssert.Contains(error.Message, "more than the format's limit of 100000000");
    }

    [TestMethod]
    [DataRow("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12, "bytes [4, 8) of the data belong to no tensor (a hole before b)")]
    [DataRow("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "tensor b at bytes [4, 8) overlaps the tensor before it, which ends at 8")]
    [DataRow("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 8, "tensor a ends at byte 16 of the data but the data has 8 bytes")]
    [DataRow("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "tensor a is F32 of shape [3] (12 bytes) but its data_offsets [0, 8] span 8 bytes")]
    [DataRow("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 12, "8 bytes of data after the last tensor belong to no tensor")]
    [DataRow("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", 4, "they must be [begin, end] with begin ≤ end")]
    [DataRow("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4, "tensor a has a shape entry that is not a non-negative integer")]
    [DataRow("""{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,4]}}""", 4, "tensor a has unknown dtype 'Q4'")]
    [DataRow("""{"a":{"dtype":"F32","shape":[1]}}""", 4, "tensor a lacks a string dtype, a shape array or a data_offsets array")]
    [DataRow("""{"__metadata__":{"epoch":3}}""", 0, "its __metadata__ value for 'epoch' is not a string")]
    [DataRow("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4, "its header names 'a' twice")]
    [DataRow("""{"a": nonsense}""", 0, "its header is not valid JSON")]
    [DataRow("""[1, 2]""", 0, "its header is not a JSON object")]
    public void Parse_HeaderThatLies_SaysWhatIsWrong(string header, int dataBytes, string expected)
    {
        var error = Assert.ThrowsExactly<UserInputException>(() => SafeTensors.Parse(Build(header, new byte[dataBytes]), "bad.safetensors"));
        StringAssert.Contains(error.Message, "bad.safetensors: not a valid safetensors checkpoint: ");
        StringAssert.Contains(error.Message, expected);
        Assert.DoesNotContain("\n", error.Message);
    }

    [TestMethod]
    public void Load_OtherModel_ListsMissingUnexpectedShapeAndDtypeProblems()
    {
        using var dir = new TempDirectory();
        string path = dir.File("other.safetensors");
        var other = new Checkpoint(
        [
            new CheckpointTensor("conv1.weight", [4, 1, 3, 3], new float[36]),
            new CheckpointTensor("conv1.bias", [2], new float[2]),
            new CheckpointTensor("fc3.weight", [1], new float[1]),
        ], new Dictionary<string, string> { ["model"] = "bignet" });
        SafeTensors.Save(path, other);

        var error = Assert.ThrowsExactly<UserInputException>(() => SafeTensors.Load(path, LeNetSpecs));

        string message = error.Message;
        StringAssert.Contains(message, $"checkpoint {path} does not fit this model (it was saved from model 'bignet'): ");
        StringAssert.Contains(message, "conv1.weight has shape [4, 1, 3, 3] but the model expects [2, 1, 3, 3]");
        StringAssert.Contains(message, "missing fc.weight; missing fc.bias; missing temperature; missing unused");
        StringAssert.Contains(message, "unexpected fc3.weight");
        Assert.DoesNotContain("conv1.bias", message);
    }

    [TestMethod]
    public void Load_WrongDtype_SaysSo()
    {
        var bytes = Build("""{"w":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}""", new byte[8]);
        using var dir = new TempDirectory();
        string path = dir.Write("f64.safetensors", bytes);
        var error = Assert.ThrowsExactly<UserInputException>(() => SafeTensors.Load(path, [new TensorSpec("w", [1])]));
        StringAssert.Contains(error.Message, "w has dtype F64 but the model expects F32");
    }

    [TestMethod]
    public void Save_FailingMidway_LeavesThePreviousCheckpointIntactAndNoTempFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.safetensors");
        SafeTensors.Save(path, SampleCheckpoint(seed: 4));
        var before = File.ReadAllBytes(path);

        var error = Assert.ThrowsExactly<UserInputException>(() =>
            SafeTensors.Save(path, SampleCheckpoint(seed: 5), stream => new FailingStream(stream, failAfterBytes: 100)));

        StringAssert.Contains(error.Message, $"cannot write checkpoint {path}: disk full (simulated)");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(dir.Path));
        // And a save that succeeds replaces it.
        SafeTensors.Save(path, SampleCheckpoint(seed: 5));
        CollectionAssert.AreNotEqual(before, File.ReadAllBytes(path));
    }

    [TestMethod]
    public void Save_IntoNewFolder_CreatesIt_AndOntoAFolder_SaysItCannotWrite()
    {
        using var dir = new TempDirectory();
        string nested = Path.Combine(dir.Path, "runs", "1", "model.safetensors");
        SafeTensors.Save(nested, SampleCheckpoint(seed: 6));
        Assert.IsTrue(File.Exists(nested));
        var error = Assert.ThrowsExactly<UserInputException>(() => SafeTensors.Save(Path.Combine(dir.Path, "runs"), SampleCheckpoint(seed: 6)));
        StringAssert.Contains(error.Message, "cannot write checkpoint");
        CollectionAssert.AreEqual(new[] { nested }, Directory.GetFiles(Path.Combine(dir.Path, "runs", "1")));
    }

    [TestMethod]
    public void Read_MissingFile_SaysItDoesNotExist()
    {
        var error = Assert.ThrowsExactly<UserInputException>(() => SafeTensors.Read("/no/such/model.safetensors"));
        StringAssert.Contains(error.Message, "checkpoint /no/such/model.safetensors does not exist");
    }

    [TestMethod]
    public void Checkpoint_DuplicateOrReservedNames_AndWrongDataLength_Throw()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new Checkpoint([new CheckpointTensor("a", [1], [0f]), new CheckpointTensor("a", [1], [0f])]));
        Assert.ThrowsExactly<ArgumentException>(() => new Checkpoint([new CheckpointTensor("__metadata__", [1], [0f])]));
        Assert.ThrowsExactly<ArgumentException>(() => new CheckpointTensor("a", [2, 2], new float[3]));
    }

    private static Checkpoint SampleCheckpoint(int seed)
    {
        var random = new Random(seed);
        var tensors = LeNetSpecs.Select(spec =>
        {
            var data = new float[TensorSpec.ElementCount(spec.Shape)];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = (float)(random.NextDouble() * 2 - 1);
            }
            return new CheckpointTensor(spec.Name, spec.Shape, data);
        }).ToList();
        // Values whose bits must survive exactly.
        tensors[1].Data[0] = -0f;
        tensors[1].Data[1] = float.NaN;
        tensors[3].Data[0] = float.PositiveInfinity;
        tensors[3].Data[1] = float.Epsilon;
        return new Checkpoint(tensors, new Dictionary<string, string> { ["model"] = "lenet", ["epoch"] = "3", ["note"] = Note });
    }

    // A safetensors file from a header (padded here to a multiple of 8) and data bytes.
    private static byte[] Build(string header, byte[] data)
    {
        string padded = header.PadRight((header.Length + 7) / 8 * 8);
        var headerBytes = Encoding.UTF8.GetBytes(padded);
        var bytes = new byte[8 + headerBytes.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)headerBytes.Length);
        headerBytes.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + headerBytes.Length);
        return bytes;
    }
}
