using System.Globalization;
using System.Reflection;
using Google.Protobuf;
using GpuConvNet.Checkpoints;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;
using Onnx;

namespace GpuConvNet.Onnx;

/// <summary>
/// A built model as an ONNX graph for inference (opset <see cref="OnnxFormat.Opset"/>): batch norm with its running
/// statistics, dropout left out, a symbolic batch dimension. Input <c>input</c> (batch, C, H, W) of normalised pixels;
/// outputs <c>logits</c> (batch, classes) and <c>probabilities</c> (their softmax, or each one's sigmoid for a
/// sigmoid-output model). Tensors keep PyTorch's names (<c>conv1.weight</c>); the metadata properties hold the class
/// names, the input's preprocessing and normalisation, the model's name and its training summary, with the keys of
/// checkpoints, so that an import knows what a checkpoint would.
/// </summary>
public static class OnnxExport
{
    /// <summary>The model proto of <paramref name="model"/>, with <paramref name="metadata"/> (its checkpoint's) and what it was trained on.</summary>
    public static ModelProto ToProto(Model model, TrainedOn trainedOn, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainedOn);
        ArgumentNullException.ThrowIfNull(metadata);
        var graph = new GraphProto { Name = model.Name };
        var writer = new GraphWriter(graph);
        string x = OnnxFormat.InputName;
        foreach (var layer in model.Layers)
        {
            x = Write(writer, layer, x);
        }
        writer.RenameLastOutput(OnnxFormat.LogitsName);
        bool sigmoid = model.Loss == LossKind.SigmoidBinaryCrossEntropy;
        writer.Node(sigmoid ? "Sigmoid" : "Softmax", OnnxFormat.ProbabilitiesName, [OnnxFormat.LogitsName],
            sigmoid ? [] : [GraphWriter.Int("axis", 1)]);
        graph.Input.Add(GraphWriter.BatchedFloat(OnnxFormat.InputName, model.Input.Channels, model.Input.Height, model.Input.Width));
        graph.Output.Add(GraphWriter.BatchedFloat(OnnxFormat.LogitsName, model.Classes));
        graph.Output.Add(GraphWriter.BatchedFloat(OnnxFormat.ProbabilitiesName, model.Classes));
        var proto = new ModelProto
        {
            IrVersion = OnnxFormat.IrVersion,
            ProducerName = "gpuconvnet",
            ProducerVersion = typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
            DocString = $"{model.Name}: {string.Join(" → ", model.Layers.Select(l => l.Describe()))}",
            Graph = graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxFormat.Opset });
        foreach (var (key, value) in Properties(model, trainedOn, metadata, sigmoid).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
        return proto;
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> (atomically) as <see cref="ToProto"/> makes it.</summary>
    public static void Save(string path, Model model, TrainedOn trainedOn, IReadOnlyDictionary<string, string> metadata)
    {
        var proto = ToProto(model, trainedOn, metadata);
        AtomicFile.Write(path, stream => proto.WriteTo(stream), "ONNX model");
    }

    private static string Write(GraphWriter writer, Layer layer, string x)
    {
        switch (layer)
        {
            case Conv conv:
                x = writer.Node("Conv", conv.Name, [x, Weights(writer, conv.Weight), Weights(writer, conv.Bias)],
                    GraphWriter.Ints("kernel_shape", conv.Kernel, conv.Kernel),
                    GraphWriter.Ints("pads", conv.Padding, conv.Padding, conv.Padding, conv.Padding),
                    GraphWriter.Ints("strides", conv.Stride, conv.Stride));
                return conv.FusedRelu ? writer.Node("Relu", $"{conv.Name}.relu", [x]) : x;
            case Dense dense:
                x = writer.Node("Gemm", dense.Name, [x, Weights(writer, dense.Weight), Weights(writer, dense.Bias)], GraphWriter.Int("transB", 1));
                return dense.FusedRelu ? writer.Node("Relu", $"{dense.Name}.relu", [x]) : x;
            case BatchNorm norm:
                int channels = norm.InputShape.Channels;
                x = writer.Node("BatchNormalization", norm.Name,
                    [x, Weights(writer, norm.Weight), Weights(writer, norm.Bias),
                     writer.Initializer($"{norm.Name}.running_mean", [channels], norm.RunningMean.ToArray()),
                     writer.Initializer($"{norm.Name}.running_var", [channels], norm.RunningVariance.ToArray())],
                    GraphWriter.Float("epsilon", norm.Epsilon));
                return norm.FusedRelu ? writer.Node("Relu", $"{norm.Name}.relu", [x]) : x;
            case MaxPool pool:
                return writer.Node("MaxPool", layer.Name, [x], GraphWriter.Ints("kernel_shape", pool.Window, pool.Window), GraphWriter.Ints("strides", pool.Stride, pool.Stride));
            case Flatten:
                return writer.Node("Flatten", layer.Name, [x], GraphWriter.Int("axis", 1));
            case Relu:
                return writer.Node("Relu", layer.Name, [x]);
            case Dropout:
                // Inference: dropout passes its input through, so the graph has no node for it.
                return x;
            default:
                throw new NotSupportedException($"{layer.Describe()} ({layer.GetType().Name}) has no ONNX form in gpuconvnet's export");
        }
    }

    private static string Weights(GraphWriter writer, Parameter parameter) => writer.Initializer(parameter.Name, parameter.Shape, parameter.Value.ToArray());

    private static Dictionary<string, string> Properties(Model model, TrainedOn trainedOn, IReadOnlyDictionary<string, string> metadata, bool sigmoid)
    {
        var properties = new Dictionary<string, string>(metadata, StringComparer.Ordinal);
        foreach (var (key, value) in trainedOn.ToMetadata())
        {
            properties[key] = value;
        }
        properties[ModelCheckpoint.ModelKey] = model.Name;
        properties["parameters"] = model.ParameterCount.ToString(CultureInfo.InvariantCulture);
        var n = trainedOn.Normalization;
        properties[OnnxFormat.NormalizationKey] = string.Create(CultureInfo.InvariantCulture,
            $"input = (pixel / 255 - {n.Mean:R}) / {n.Std:R}, pixels of the image prepared by '{trainedOn.Preprocessing.Name}' ({trainedOn.Input.Width}x{trainedOn.Input.Height}, light on dark)");
        properties[OnnxFormat.OutputsKey] = $"{OnnxFormat.LogitsName}; {OnnxFormat.ProbabilitiesName} = {(sigmoid ? "sigmoid of each logit" : "softmax of the logits")}";
        return properties;
    }
}
