using Google.Protobuf;
using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Nn;
using Onnx;

namespace GpuConvNet.Onnx;

/// <summary>
/// An ONNX model read from a file, checked, and planned as gpuconvnet's layers: what it was trained on (from the
/// metadata properties an export writes; MNIST's normalisation and numbered classes where a graph has none), and a
/// model built from it on any engine, its weights loaded.
/// </summary>
public sealed class OnnxModel
{
    /// <summary>The largest ONNX file read (256 MiB; an MNIST model is a few MB). Protobuf's own limit is 2 GiB.</summary>
    public const long MaxFileBytes = 256L << 20;

    private readonly GraphPlan plan;

    private OnnxModel(string name, GraphPlan plan, IReadOnlyDictionary<string, string> metadata, TrainedOn trainedOn)
    {
        Name = name;
        this.plan = plan;
        Metadata = metadata;
        TrainedOn = trainedOn;
    }

    /// <summary>The model's name: its metadata's, or the file's name without extension.</summary>
    public string Name { get; }

    /// <summary>The metadata properties.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>What the model learnt from: classes, input, preprocessing, normalisation.</summary>
    public TrainedOn TrainedOn { get; }

    /// <summary>
    /// Reads and checks <paramref name="path"/>: a <see cref="UserInputException"/> with one line for a file that is
    /// missing, too large, not protobuf, not a sequential graph of supported ops, or whose tensors do not hold what
    /// they declare. Memory stays within the file's size.
    /// </summary>
    public static OnnxModel Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = UserFile.Read(path, "model", "give an .onnx file ('gpuconvnet export' writes one from a checkpoint)", ReadBounded);
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new UserInputException($"{path} is not an ONNX model: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        return FromProto(proto, path);
    }

    /// <summary>As <see cref="Read"/>, from a proto already parsed (external data is looked for beside <paramref name="path"/>).</summary>
    public static OnnxModel FromProto(ModelProto proto, string path)
    {
        ArgumentNullException.ThrowIfNull(proto);
        ArgumentNullException.ThrowIfNull(path);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var plan = GraphPlanner.Plan(proto, path, new TensorReader(path, folder));
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in proto.MetadataProps)
        {
            metadata[entry.Key] = entry.Value;
        }
        string name = metadata.GetValueOrDefault(ModelCheckpoint.ModelKey) ?? Path.GetFileNameWithoutExtension(path);
        return new OnnxModel(name, plan, metadata, TrainedOnOf(metadata, plan, path));
    }

    /// <summary>The model built on <paramref name="accelerator"/> for batches up to <paramref name="maxBatch"/>, the graph's weights loaded.</summary>
    public Model Build(Accelerator accelerator, int maxBatch = 256)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        var model = new Model(Name, plan.Input, [.. plan.Layers.Select(l => l.Create())], plan.Loss);
        try
        {
            model.Build(accelerator, maxBatch, seed: 0);
            for (int i = 0; i < plan.Layers.Count; i++)
            {
                plan.Layers[i].Load(model.Layers[i]);
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static byte[] ReadBounded(string path)
    {
        using var stream = File.OpenRead(path);
        if (stream.Length > MaxFileBytes)
        {
            throw new UserInputException($"{path} has {stream.Length:N0} bytes, more than the {MaxFileBytes:N0} gpuconvnet reads from an ONNX file");
        }
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    // An export's properties say what a checkpoint would; a graph from elsewhere is taken as a classifier of its input's
    // size with numbered classes, normalised as MNIST (what PyTorch's MNIST example does) unless pixel_mean/pixel_std say otherwise.
    private static TrainedOn TrainedOnOf(Dictionary<string, string> metadata, GraphPlan plan, string path)
    {
        var filled = new Dictionary<string, string>(metadata, StringComparer.Ordinal);
        filled.TryAdd(TrainedOn.InputKey, $"1x{plan.Input.Height}x{plan.Input.Width}");
        filled.TryAdd(TrainedOn.ClassesKey, System.Text.Json.JsonSerializer.Serialize(Enumerable.Range(0, plan.Classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var trainedOn = TrainedOn.From(filled, path);
        if (trainedOn.Input != plan.Input || trainedOn.Classes != plan.Classes)
        {
            throw new UserInputException(
                $"{path}: its metadata says {trainedOn.Input} images and {trainedOn.Classes} classes, but the graph takes {plan.Input} and has {plan.Classes} outputs");
        }
        return trainedOn;
    }
}
