using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;
using Onnx;

namespace GpuConvNet.Onnx;

/// <summary>What an ONNX graph asks gpuconvnet to build: the input, the layers in order, and the output's meaning.</summary>
/// <param name="Input">The per-image input (1, H, W).</param>
/// <param name="Layers">The layers, input to logits.</param>
/// <param name="Loss">Softmax outputs, or a sigmoid per output (a graph that ends in Sigmoid).</param>
/// <param name="Classes">The output's width.</param>
internal sealed record GraphPlan(Shape Input, IReadOnlyList<PlannedLayer> Layers, LossKind Loss, int Classes);

/// <summary>
/// Reads a sequential ONNX graph into layers: one path of nodes from the one input to the output, each reading the
/// previous node's output and constant weights. Nodes and attributes the kernels do not implement are refused by name.
/// </summary>
internal sealed partial class GraphPlanner
{
    /// <summary>The most floats all activations of one image may take (8 MiB): an MNIST CNN takes about 70 k.</summary>
    public const int MaxActivations = 1 << 21;

    private const string Supported = "Conv, MaxPool, Gemm, MatMul, Add (a MatMul's bias), Relu, BatchNormalization, Flatten, Reshape (to flatten), " +
        "Dropout, Identity, Constant, and Softmax or Sigmoid as the last node";

    private readonly string path;
    private readonly TensorReader tensors;
    private readonly Dictionary<string, TensorProto> constants = new(StringComparer.Ordinal);
    private readonly List<PlannedLayer> layers = [];
    private Shape input;
    private Shape shape;
    private long activations;
    private string? finalActivation;

    private GraphPlanner(string path, TensorReader tensors)
    {
        this.path = path;
        this.tensors = tensors;
    }

    /// <summary>The plan of <paramref name="model"/>'s graph, or a <see cref="UserInputException"/> naming what is not supported.</summary>
    public static GraphPlan Plan(ModelProto model, string path, TensorReader tensors) => new GraphPlanner(path, tensors).Read(model);

    private GraphPlan Read(ModelProto model)
    {
        var graph = model.Graph ?? throw new UserInputException($"{path} has no graph; it is not an ONNX model (or the file is cut short)");
        CheckOpset(model);
        foreach (var initializer in graph.Initializer)
        {
            if (!constants.TryAdd(initializer.Name, initializer))
            {
                throw new UserInputException($"{path}: two initializers are named '{initializer.Name}'");
            }
        }
        var nodes = graph.Node.Select((n, i) => new NodeReader(n, i, path)).ToList();
        foreach (var node in nodes.Where(n => n.Node.OpType == "Constant"))
        {
            var value = node.Tensor("value") ?? throw node.Refuse("has no tensor 'value'; gpuconvnet reads only tensor constants");
            if (node.Node.Output.Count != 1 || !constants.TryAdd(node.Node.Output[0], value))
            {
                throw node.Refuse("must write one output whose name nothing else defines");
            }
        }
        var inputs = graph.Input.Where(i => !constants.ContainsKey(i.Name)).ToList();
        if (inputs.Count != 1)
        {
            throw new UserInputException($"{path}: the graph has {inputs.Count} inputs ({string.Join(", ", inputs.Select(i => i.Name))}); a classifier takes one, the images");
        }
        string current = inputs[0].Name;
        ReadInput(inputs[0]);
        var available = constants.Keys.Append(current).ToHashSet(StringComparer.Ordinal);
        var used = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        var working = nodes.Where(n => n.Node.OpType != "Constant").ToList();
        string? logits = null;
        foreach (int i in GraphOrder.Sort(working, available, path))
        {
            var node = working[i];
            if (finalActivation is not null)
            {
                throw node.Refuse($"comes after the {finalActivation}, which gpuconvnet supports only as the graph's last node");
            }
            var data = node.Node.Input.Where(n => n.Length > 0 && !constants.ContainsKey(n)).ToList();
            if (data.Count != 1 || data[0] != current)
            {
                string reads = data.Count == 0 ? "only constants" : string.Join(", ", data.Select(d => $"'{d}'"));
                throw node.Refuse($"reads {reads}, not the previous node's output '{current}'; gpuconvnet runs sequential graphs (one path from the input to the output)");
            }
            if (node.Node.Output.Skip(1).FirstOrDefault(o => o.Length > 0 && used.Contains(o)) is { } extra)
            {
                throw node.Refuse($"has its output '{extra}' used; gpuconvnet computes only a node's first output");
            }
            if (node.Node.Domain is not ("" or "ai.onnx"))
            {
                throw node.Refuse($"is in domain '{node.Node.Domain}'; gpuconvnet runs ONNX's default domain: {Supported}");
            }
            if (node.Node.OpType is "Softmax" or "Sigmoid")
            {
                logits = current;
            }
            Add(node);
            current = node.Node.Output.FirstOrDefault() is { Length: > 0 } output ? output : throw node.Refuse("has no output");
        }
        var outputs = graph.Output.Select(o => o.Name).ToList();
        if (outputs.Count == 0 || outputs.Any(o => o != current && o != logits))
        {
            throw new UserInputException($"{path}: the graph's outputs ({string.Join(", ", outputs)}) are not the end of its path of nodes ('{current}'); gpuconvnet runs sequential graphs");
        }
        if (!shape.IsFlat)
        {
            throw new UserInputException($"{path}: the graph ends with {shape} per image; a classifier ends with one value per class (Flatten, then Gemm)");
        }
        if (shape.Channels < 2)
        {
            throw new UserInputException($"{path}: the graph has {shape.Channels} output; a classifier has one per class, at least two");
        }
        return new GraphPlan(input, layers,
            finalActivation == "Sigmoid" ? LossKind.SigmoidBinaryCrossEntropy : LossKind.SoftmaxCrossEntropy, shape.Channels);
    }

    private void CheckOpset(ModelProto model)
    {
        var opset = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => (long?)o.Version).FirstOrDefault();
        if (opset is not { } version || version < OnnxFormat.OldestOpset || version > OnnxFormat.NewestOpset)
        {
            throw new UserInputException($"{path}: the graph declares ONNX opset {(opset is null ? "none" : opset.ToString())}; gpuconvnet reads opsets {OnnxFormat.OldestOpset} to {OnnxFormat.NewestOpset}");
        }
    }

    // (batch, 1, H, W) images, or (batch, H·W) flat pixels of a square image, which a Flatten first makes of the image.
    private void ReadInput(ValueInfoProto image)
    {
        var type = image.Type?.TensorType;
        if (type is null || type.ElemType != (int)TensorProto.Types.DataType.Float || type.Shape is null)
        {
            throw new UserInputException($"{path}: the input '{image.Name}' is not a float tensor of known shape");
        }
        var dims = type.Shape.Dim.Skip(1).Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : -1).ToArray();
        bool square = dims.Length == 1 && dims[0] > 0 && (long)Math.Sqrt(dims[0]) * (long)Math.Sqrt(dims[0]) == dims[0];
        if (!(dims.Length == 3 && dims[0] == 1 && dims[1] > 0 && dims[2] > 0) && !square)
        {
            throw new UserInputException($"{path}: the input '{image.Name}' is [{string.Join(", ", type.Shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.DimParam))}]; " +
                "gpuconvnet feeds grayscale images, (batch, 1, height, width) or (batch, pixels) of a square image");
        }
        long height = square ? (long)Math.Sqrt(dims[0]) : dims[1];
        long width = square ? height : dims[2];
        if (height * width > MaxActivations)
        {
            throw new UserInputException($"{path}: the input is {height}×{width} pixels, more than gpuconvnet's {MaxActivations:N0}");
        }
        input = new Shape(1, (int)height, (int)width);
        shape = input;
        if (square)
        {
            Push(new PlannedPlain(image.Name, () => new Flatten()), new Shape(shape.Size));
        }
    }

    private void Add(NodeReader node)
    {
        if (node.Node.OpType != "Add" && layers.LastOrDefault() is PlannedDense dense)
        {
            // Only the node right after a MatMul can be its bias: after a ReLU, x·W + b would no longer be what runs.
            dense.BiasOpen = false;
        }
        switch (node.Node.OpType)
        {
            case "Conv":
                AddConv(node);
                break;
            case "MaxPool":
                AddMaxPool(node);
                break;
            case "BatchNormalization":
                AddBatchNorm(node);
                break;
            case "Gemm":
                AddGemm(node);
                break;
            case "MatMul":
                AddMatMul(node);
                break;
            case "Add":
                AddBias(node);
                break;
            case "Relu":
                if (layers.LastOrDefault() is { CanFuseRelu: true } previous)
                {
                    previous.Relu = true;
                }
                else
                {
                    Push(new PlannedPlain(node.Label, () => new Relu()), shape);
                }
                break;
            case "Flatten":
                if (node.Int("axis", 1) != 1)
                {
                    throw node.Refuse($"has axis={node.Int("axis", 1)}; gpuconvnet supports only axis=1 (one row per image)");
                }
                Push(new PlannedPlain(node.Label, () => new Flatten()), new Shape(shape.Size));
                break;
            case "Reshape":
                AddReshape(node);
                break;
            case "Dropout" or "Identity":
                // Inference: both pass their input through.
                break;
            case "Softmax":
                long axis = node.Int("axis", 1);
                if (!shape.IsFlat || axis is not (1 or -1))
                {
                    throw node.Refuse($"has axis={axis} on {shape}; gpuconvnet supports a softmax over the classes (axis 1 of (batch, classes))");
                }
                finalActivation = "Softmax";
                break;
            case "Sigmoid":
                if (!shape.IsFlat)
                {
                    throw node.Refuse($"is on {shape}; gpuconvnet supports a sigmoid only on the class outputs");
                }
                finalActivation = "Sigmoid";
                break;
            default:
                throw node.Refuse($"is not supported: gpuconvnet runs {Supported}");
        }
    }

    private TensorProto Constant(NodeReader node, int index, string what)
    {
        if (index < 0 || node.Node.Input.Count <= index || !constants.TryGetValue(node.Node.Input[index], out var tensor))
        {
            throw node.Refuse($"has no constant {what} (input {index}); gpuconvnet needs its weights in initializers or Constant nodes");
        }
        return tensor;
    }

    // A per-channel vector: [n], or [1, n] as some exporters write a bias.
    private float[] Vector(NodeReader node, int index, string what, int length)
    {
        var tensor = Constant(node, index, what);
        var dims = tensors.Dims(tensor);
        if (dims.Aggregate(1L, (a, b) => a * b) != length || dims.Length is 0 or > 2 || dims.Length == 2 && dims[0] != 1)
        {
            throw node.Refuse($"has {what} of shape [{string.Join(", ", dims)}]; it needs [{length}]");
        }
        return Finite(node, tensor);
    }

    private float[] Finite(NodeReader node, TensorProto tensor)
    {
        var values = tensors.Floats(tensor);
        int bad = values.AsSpan().IndexOfAnyExceptInRange(float.MinValue, float.MaxValue);
        return bad < 0 ? values : throw node.Refuse($"has '{tensor.Name}'[{bad}] = {values[bad]}; a model with non-finite weights cannot predict");
    }

    private void Push(PlannedLayer layer, Shape output)
    {
        long size = (long)output.Channels * output.Height * output.Width;
        activations += size;
        if (size > MaxActivations || activations > MaxActivations)
        {
            throw new UserInputException($"{path}: {layer.Node}'s activations take more than gpuconvnet's {MaxActivations:N0} floats per image");
        }
        layers.Add(layer);
        shape = output;
    }
}
