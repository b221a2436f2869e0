using Google.Protobuf;
using Onnx;

namespace GpuConvNet.Onnx;

/// <summary>Appends nodes and float initializers to an ONNX graph, naming each node's output after the node.</summary>
internal sealed class GraphWriter(GraphProto graph)
{
    /// <summary>A node of <paramref name="op"/> named <paramref name="name"/> on <paramref name="inputs"/>; returns its output's name.</summary>
    public string Node(string op, string name, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(name);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return name;
    }

    /// <summary>Renames the last node's output (the graph's output then has a fixed name).</summary>
    public string RenameLastOutput(string name)
    {
        graph.Node[^1].Output[0] = name;
        return name;
    }

    /// <summary>A float initializer of <paramref name="shape"/>, stored as little-endian raw data; returns its name.</summary>
    public string Initializer(string name, IReadOnlyList<int> shape, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(shape.Select(d => (long)d));
        var bytes = new byte[values.Length * sizeof(float)];
        // Raw data is little-endian by the format's definition, whatever the host.
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }
        tensor.RawData = ByteString.CopyFrom(bytes);
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>An INTS attribute.</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>An INT attribute.</summary>
    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A FLOAT attribute.</summary>
    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>A float tensor's type with a symbolic batch dimension followed by <paramref name="dims"/>.</summary>
    public static ValueInfoProto BatchedFloat(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = OnnxFormat.BatchDimension });
        shape.Dim.AddRange(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
