using Onnx;

namespace GpuConvNet.Onnx;

/// <summary>One node's attributes, read with their types checked, and refusals that name the node and its op.</summary>
internal sealed class NodeReader(NodeProto node, int index, string path)
{
    /// <summary>The node.</summary>
    public NodeProto Node => node;

    /// <summary>The node as messages call it: its name, or its position and output when it has none.</summary>
    public string Label => node.Name.Length > 0 ? $"node '{node.Name}' ({node.OpType})" : $"node {index} ({node.OpType}, output '{node.Output.FirstOrDefault()}')";

    /// <summary>A one-line refusal naming the file, the node and its op.</summary>
    public UserInputException Refuse(string what) => new($"{path}: {Label} {what}");

    /// <summary>An INT attribute, or <paramref name="fallback"/> when absent.</summary>
    public long Int(string name, long fallback) =>
        Find(name, AttributeProto.Types.AttributeType.Int) is { } attribute ? attribute.I : fallback;

    /// <summary>A FLOAT attribute, or <paramref name="fallback"/> when absent.</summary>
    public float Float(string name, float fallback) =>
        Find(name, AttributeProto.Types.AttributeType.Float) is { } attribute ? attribute.F : fallback;

    /// <summary>A STRING attribute (UTF-8), or <paramref name="fallback"/> when absent.</summary>
    public string String(string name, string fallback) =>
        Find(name, AttributeProto.Types.AttributeType.String) is { } attribute ? attribute.S.ToStringUtf8() : fallback;

    /// <summary>An INTS attribute, or null when absent.</summary>
    public long[]? Ints(string name) =>
        Find(name, AttributeProto.Types.AttributeType.Ints) is { } attribute ? [.. attribute.Ints] : null;

    /// <summary>A TENSOR attribute, or null when absent.</summary>
    public TensorProto? Tensor(string name) => Find(name, AttributeProto.Types.AttributeType.Tensor)?.T;

    /// <summary>Refuses the attribute unless it is absent or <paramref name="allowed"/>, saying what it may be.</summary>
    public void RequireInt(string name, long allowed, string why)
    {
        long value = Int(name, allowed);
        if (value != allowed)
        {
            throw Refuse($"has {name}={value}; gpuconvnet supports only {name}={allowed} ({why})");
        }
    }

    /// <summary>Refuses an INTS attribute unless absent or every value is <paramref name="allowed"/>.</summary>
    public void RequireAll(string name, long allowed, string why)
    {
        if (Ints(name) is { } values && values.Any(v => v != allowed))
        {
            throw Refuse($"has {name}=[{string.Join(", ", values)}]; gpuconvnet supports only {allowed}s ({why})");
        }
    }

    /// <summary>Two equal values of an INTS attribute of length 2 (a square kernel, equal strides), or <paramref name="fallback"/> when absent.</summary>
    public int Square(string name, int? fallback)
    {
        var values = Ints(name);
        if (values is null)
        {
            return fallback ?? throw Refuse($"has no {name}");
        }
        if (values.Length != 2 || values[0] != values[1] || values[0] is < 1 or > 1024)
        {
            throw Refuse($"has {name}=[{string.Join(", ", values)}]; gpuconvnet supports two equal values from 1 to 1024 (square windows, equal strides)");
        }
        return (int)values[0];
    }

    /// <summary>Refuses an auto_pad other than NOTSET or VALID (VALID only where the pads are zero).</summary>
    public void RequireExplicitPads(int padding)
    {
        string autoPad = String("auto_pad", "NOTSET");
        if (autoPad != "NOTSET" && !(autoPad == "VALID" && padding == 0))
        {
            throw Refuse($"has auto_pad={autoPad}; gpuconvnet supports explicit pads (auto_pad NOTSET, or VALID without pads)");
        }
    }

    private AttributeProto? Find(string name, AttributeProto.Types.AttributeType type)
    {
        var attribute = node.Attribute.LastOrDefault(a => a.Name == name);
        if (attribute is not null && attribute.Type != type)
        {
            throw Refuse($"has attribute {name} of type {attribute.Type.ToString().ToUpperInvariant()}, where ONNX says {type.ToString().ToUpperInvariant()}");
        }
        return attribute;
    }
}
