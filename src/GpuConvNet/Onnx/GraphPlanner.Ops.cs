using GpuConvNet.Nn.Layers;
using Onnx;

namespace GpuConvNet.Onnx;

/// <summary>The ops with weights or attributes: each checks what the kernels support and adds its layer.</summary>
internal sealed partial class GraphPlanner
{
    private void AddConv(NodeReader node)
    {
        var weight = Constant(node, 1, "weight");
        var dims = tensors.Dims(weight);
        if (shape.IsFlat && shape.Channels != 1 || dims.Length != 4 || dims[1] != shape.Channels || dims[2] != dims[3])
        {
            throw node.Refuse($"has weights [{string.Join(", ", dims)}] for an input of {shape}; gpuconvnet supports (K, {shape.Channels}, R, R) on an image");
        }
        node.RequireInt("group", 1, "no grouped or depthwise convolution");
        node.RequireAll("dilations", 1, "no dilation");
        int kernel = node.Square("kernel_shape", (int)dims[2]);
        if (kernel != dims[2])
        {
            throw node.Refuse($"has kernel_shape {kernel} but weights of {dims[2]}×{dims[3]}");
        }
        var pads = node.Ints("pads") ?? [0, 0, 0, 0];
        if (pads.Length != 4 || pads.Distinct().Count() != 1 || pads[0] is < 0 or > 1024)
        {
            throw node.Refuse($"has pads=[{string.Join(", ", pads)}]; gpuconvnet supports the same padding on every side");
        }
        int padding = (int)pads[0];
        node.RequireExplicitPads(padding);
        int stride = node.Square("strides", 1);
        int outputs = (int)dims[0];
        long p = (shape.Height + 2L * padding - kernel) / stride + 1, q = (shape.Width + 2L * padding - kernel) / stride + 1;
        if (shape.Height + 2L * padding < kernel || shape.Width + 2L * padding < kernel)
        {
            throw node.Refuse($"has a {kernel}×{kernel} kernel for a padded input of {shape}");
        }
        var values = Finite(node, weight);
        var bias = node.Node.Input.Count > 2 && node.Node.Input[2].Length > 0 ? Vector(node, 2, "bias", outputs) : new float[outputs];
        var output = new Shape(outputs, (int)Math.Min(p, MaxActivations), (int)Math.Min(q, MaxActivations));
        Push(new PlannedConv(node.Label, outputs, kernel, padding, stride, values, bias), output);
    }

    private void AddMaxPool(NodeReader node)
    {
        int window = node.Square("kernel_shape", null);
        int stride = node.Square("strides", 1);
        node.RequireAll("pads", 0, "no padding");
        node.RequireAll("dilations", 1, "no dilation");
        node.RequireInt("ceil_mode", 0, "output sizes rounded down");
        node.RequireInt("storage_order", 0, "row-major");
        node.RequireExplicitPads(0);
        if (shape.IsFlat && shape.Channels != 1 || shape.Height < window || shape.Width < window)
        {
            throw node.Refuse($"has a {window}×{window} window for an input of {shape}");
        }
        Push(new PlannedPlain(node.Label, () => new MaxPool(window, stride)),
            new Shape(shape.Channels, (shape.Height - window) / stride + 1, (shape.Width - window) / stride + 1));
    }

    private void AddBatchNorm(NodeReader node)
    {
        node.RequireInt("training_mode", 0, "inference, with the running statistics");
        node.RequireInt("spatial", 1, "per-channel statistics");
        if (node.Node.Input.Count != 5)
        {
            throw node.Refuse($"has {node.Node.Input.Count} inputs; BatchNormalization takes X, scale, B, mean and var");
        }
        int channels = shape.Channels;
        float epsilon = node.Float("epsilon", 1e-5f);
        if (!(epsilon > 0) || !float.IsFinite(epsilon))
        {
            throw node.Refuse($"has epsilon={epsilon}; it must be positive");
        }
        var variance = Vector(node, 4, "var", channels);
        if (variance.Any(v => v < 0))
        {
            throw node.Refuse("has a negative running variance");
        }
        Push(new PlannedBatchNorm(node.Label, epsilon, Vector(node, 1, "scale", channels), Vector(node, 2, "B", channels),
            Vector(node, 3, "mean", channels), variance), shape);
    }

    private void AddGemm(NodeReader node)
    {
        node.RequireInt("transA", 0, "images in rows");
        if (node.Float("alpha", 1f) != 1f || node.Float("beta", 1f) != 1f)
        {
            throw node.Refuse($"has alpha={node.Float("alpha", 1f)}, beta={node.Float("beta", 1f)}; gpuconvnet supports only alpha=1 and beta=1 (x·Wᵀ + b)");
        }
        bool transposed = node.Int("transB", 0) == 1;
        var (outputs, weight) = DenseWeights(node, transposed);
        var bias = node.Node.Input.Count > 2 && node.Node.Input[2].Length > 0 ? Vector(node, 2, "C", outputs) : new float[outputs];
        Push(new PlannedDense(node.Label, outputs, weight, bias), new Shape(outputs));
    }

    private void AddMatMul(NodeReader node)
    {
        var (outputs, weight) = DenseWeights(node, transposed: false);
        Push(new PlannedDense(node.Label, outputs, weight, new float[outputs]) { BiasOpen = true }, new Shape(outputs));
    }

    private void AddBias(NodeReader node)
    {
        if (layers.LastOrDefault() is not PlannedDense { BiasOpen: true } dense)
        {
            throw node.Refuse("does not add a bias to a MatMul's output; gpuconvnet supports Add only as a MatMul's bias");
        }
        int which = node.Node.Input.ToList().FindIndex(n => constants.ContainsKey(n));
        dense.Bias = Vector(node, which, "bias", dense.Outputs);
        dense.BiasOpen = false;
    }

    private void AddReshape(NodeReader node)
    {
        node.RequireInt("allowzero", 0, "0 copies the batch dimension");
        var target = node.Node.Input.Count == 2 && constants.TryGetValue(node.Node.Input[1], out var tensor) ? tensors.Int64s(tensor) : null;
        bool flattens = target is { Length: 2 } t && (t[1] == -1 && t[0] == 0 || t[1] == shape.Size && t[0] is 0 or -1);
        if (!flattens)
        {
            throw node.Refuse($"reshapes to [{string.Join(", ", target ?? [])}]; gpuconvnet supports a Reshape only to flatten each image, to a constant [0, -1] or [-1, {shape.Size}]");
        }
        Push(new PlannedPlain(node.Label, () => new Flatten()), new Shape(shape.Size));
    }

    private (int Outputs, float[] Weight) DenseWeights(NodeReader node, bool transposed)
    {
        var tensor = Constant(node, 1, "weight");
        var dims = tensors.Dims(tensor);
        int inputs = shape.Size;
        if (!shape.IsFlat || dims.Length != 2 || dims[transposed ? 1 : 0] != inputs || dims[transposed ? 0 : 1] is < 1 or > MaxActivations)
        {
            throw node.Refuse($"has weights [{string.Join(", ", dims)}]{(transposed ? " (transposed)" : "")} for an input of {shape}; put a Flatten before it, or check the weights' shape");
        }
        int outputs = (int)dims[transposed ? 0 : 1];
        var values = Finite(node, tensor);
        if (transposed)
        {
            return (outputs, values);
        }
        // (in, out) as MatMul and Gemm without transB store it; the dense layer keeps (out, in), as PyTorch's Linear.
        var weight = new float[values.Length];
        for (int i = 0; i < inputs; i++)
        {
            for (int o = 0; o < outputs; o++)
            {
                weight[o * inputs + i] = values[i * outputs + o];
            }
        }
        return (outputs, weight);
    }
}
