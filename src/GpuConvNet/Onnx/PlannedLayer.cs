using GpuConvNet.Nn.Layers;

namespace GpuConvNet.Onnx;

/// <summary>
/// A layer an ONNX graph asks for, with its weights read from the file: made into a fresh <see cref="Layer"/> for each
/// model built from the graph, and loaded once that model is built.
/// </summary>
internal abstract class PlannedLayer(string node)
{
    /// <summary>The node it came from (for messages).</summary>
    public string Node { get; } = node;

    /// <summary>Whether a ReLU that follows can run in this layer's pass.</summary>
    public virtual bool CanFuseRelu => false;

    /// <summary>A ReLU follows in the same pass.</summary>
    public bool Relu { get; set; }

    /// <summary>A fresh, unbuilt layer.</summary>
    public abstract Layer Create();

    /// <summary>Copies the weights into <paramref name="built"/>, the layer <see cref="Create"/> made, now built.</summary>
    public virtual void Load(Layer built)
    {
    }
}

/// <summary>A Conv node: square kernel, equal padding and stride on both axes.</summary>
internal sealed class PlannedConv(string node, int outputs, int kernel, int padding, int stride, float[] weight, float[] bias) : PlannedLayer(node)
{
    public override bool CanFuseRelu => !Relu;

    public override Layer Create() => new Conv(outputs, kernel, padding, stride, Relu);

    public override void Load(Layer built)
    {
        var conv = (Conv)built;
        conv.Weight.Value.CopyFromHost(weight);
        conv.Bias.Value.CopyFromHost(bias);
    }
}

/// <summary>A Gemm node, or a MatMul with the Add of its bias: weights (out, in).</summary>
internal sealed class PlannedDense(string node, int outputs, float[] weight, float[] bias) : PlannedLayer(node)
{
    public override bool CanFuseRelu => !Relu;

    /// <summary>A MatMul's layer, waiting for the Add that may bring its bias.</summary>
    public bool BiasOpen { get; set; }

    /// <summary>The outputs.</summary>
    public int Outputs => outputs;

    /// <summary>The bias, replaced by an Add after a MatMul.</summary>
    public float[] Bias { get; set; } = bias;

    public override Layer Create() => new Dense(outputs, Relu);

    public override void Load(Layer built)
    {
        var dense = (Dense)built;
        dense.Weight.Value.CopyFromHost(weight);
        dense.Bias.Value.CopyFromHost(Bias);
    }
}

/// <summary>A BatchNormalization node in inference mode.</summary>
internal sealed class PlannedBatchNorm(string node, float epsilon, float[] scale, float[] shift, float[] mean, float[] variance) : PlannedLayer(node)
{
    public override bool CanFuseRelu => !Relu;

    public override Layer Create() => new BatchNorm(epsilon, relu: Relu);

    public override void Load(Layer built)
    {
        var norm = (BatchNorm)built;
        norm.Weight.Value.CopyFromHost(scale);
        norm.Bias.Value.CopyFromHost(shift);
        norm.RunningMean.CopyFromHost(mean);
        norm.RunningVariance.CopyFromHost(variance);
    }
}

/// <summary>A layer without weights: MaxPool, Flatten, or a ReLU with nothing before it to fuse into.</summary>
internal sealed class PlannedPlain(string node, Func<Layer> create) : PlannedLayer(node)
{
    public override Layer Create() => create();
}
