using GpuConvNet.Onnx;
using Onnx;

namespace GpuConvNet.Tests.Onnx;

/// <summary>
/// ONNX graphs written node by node with the forms other exporters use and ours does not: a strided Conv without bias, an
/// overlapping MaxPool with a ReLU after it, Identity, a Reshape whose shape is a Constant node, MatMul with the Add of
/// its bias, Dropout, Gemm without transB and a (1, n) bias; and a flat (batch, 784) input ending in Sigmoid.
/// </summary>
public static class HandWrittenGraphs
{
    /// <summary>The convolutional graph, opset 13, weights from <paramref name="seed"/>.</summary>
    public static ModelProto Convolutional(int seed)
    {
        var random = new Random(seed);
        var graph = new GraphProto { Name = "hand-written" };
        var writer = new GraphWriter(graph);
        string x = writer.Node("Conv", "conv", ["image", writer.Initializer("k", [4, 1, 3, 3], Draw(random, 36))],
            GraphWriter.Ints("kernel_shape", 3, 3), GraphWriter.Ints("strides", 2, 2));
        x = writer.Node("MaxPool", "pool", [x], GraphWriter.Ints("kernel_shape", 2, 2), GraphWriter.Ints("strides", 1, 1));
        x = writer.Node("Relu", "relu_after_pool", [x]);
        x = writer.Node("Identity", "same", [x]);
        var shape = new TensorProto { Name = "shape", DataType = (int)TensorProto.Types.DataType.Int64 };
        shape.Dims.Add(2);
        shape.Int64Data.Add([0, -1]);
        var constant = new NodeProto { Name = "shape", OpType = "Constant" };
        constant.Output.Add("shape");
        constant.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = shape });
        graph.Node.Add(constant);
        x = writer.Node("Reshape", "flat", [x, "shape"]);
        x = writer.Node("MatMul", "matmul", [x, writer.Initializer("w1", [576, 16], Draw(random, 576 * 16, 0.1))]);
        x = writer.Node("Add", "bias", [x, writer.Initializer("b1", [16], Draw(random, 16))]);
        x = writer.Node("Relu", "relu", [x]);
        x = writer.Node("Dropout", "dropout", [x]);
        writer.Node("Gemm", "scores", [x, writer.Initializer("w2", [16, 10], Draw(random, 160)), writer.Initializer("b2", [1, 10], Draw(random, 10))]);
        return Model(graph, GraphWriter.BatchedFloat("image", 1, 28, 28), "scores", opset: 13);
    }

    /// <summary>A flat-input graph ending in Sigmoid, opset 11, weights from <paramref name="seed"/>.</summary>
    public static ModelProto FlatWithSigmoid(int seed)
    {
        var random = new Random(seed);
        var graph = new GraphProto { Name = "flat" };
        var writer = new GraphWriter(graph);
        string x = writer.Node("Gemm", "fc", ["pixels", writer.Initializer("w", [10, 784], Draw(random, 7840, 0.05)), writer.Initializer("b", [10], Draw(random, 10))],
            GraphWriter.Int("transB", 1));
        writer.Node("Sigmoid", "p", [x]);
        return Model(graph, GraphWriter.BatchedFloat("pixels", 784), "p", opset: 11);
    }

    private static ModelProto Model(GraphProto graph, ValueInfoProto input, string output, long opset)
    {
        graph.Input.Add(input);
        graph.Output.Add(new ValueInfoProto { Name = output });
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = opset });
        return model;
    }

    private static float[] Draw(Random random, int count, double scale = 0.5) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale))];
}
