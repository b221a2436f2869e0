using GpuConvNet.Compute;
using GpuConvNet.Nn.Layers;

namespace GpuConvNet.Nn;

/// <summary>
/// A sequential classifier: layers from a (1, 28, 28) image to class logits, and the loss that trains them. Built on
/// one accelerator for batches up to a maximum size; <see cref="Forward"/> and <see cref="Backward"/> launch only.
/// </summary>
public sealed class Model : IDisposable
{
    /// <summary>A model named <paramref name="name"/> of <paramref name="layers"/>, trained with <paramref name="loss"/>.</summary>
    public Model(string name, Shape input, IReadOnlyList<Layer> layers, LossKind loss)
    {
        ArgumentNullException.ThrowIfNull(layers);
        Name = name;
        Input = input;
        Layers = layers;
        Loss = loss;
        var counts = new Dictionary<string, int>();
        foreach (var layer in layers)
        {
            string kind = layer.NamePrefix;
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
            layer.Name = $"{kind}{counts[kind]}";
        }
    }

    /// <summary>The model's name (what the command line and checkpoints call it).</summary>
    public string Name { get; }

    /// <summary>Per-sample input shape.</summary>
    public Shape Input { get; }

    /// <summary>The layers, input to output.</summary>
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>The loss on the logits.</summary>
    public LossKind Loss { get; }

    /// <summary>Number of classes (the last layer's width).</summary>
    public int Classes => Layers[^1].OutputShape.Size;

    /// <summary>Every trainable parameter, in layer order.</summary>
    public IEnumerable<Parameter> Parameters => Layers.SelectMany(l => l.Parameters);

    /// <summary>Every layer's state tensors (running statistics), in layer order.</summary>
    public IEnumerable<LayerState> States => Layers.SelectMany(l => l.States);

    /// <summary>Every layer's counters (batches seen), in layer order.</summary>
    public IEnumerable<LayerCounter> Counters => Layers.SelectMany(l => l.Counters);

    /// <summary>Total trainable scalars.</summary>
    public long ParameterCount => Parameters.Sum(p => (long)p.Length);

    /// <summary>The accelerator the model was built on.</summary>
    public Accelerator? Accelerator { get; private set; }

    /// <summary>The largest batch the model's buffers hold.</summary>
    public int MaxBatch { get; private set; }

    /// <summary>Allocates and initialises every layer (PyTorch's default initialisation, from <paramref name="seed"/>).</summary>
    public void Build(Accelerator accelerator, int maxBatch, int seed)
    {
        if (Accelerator is not null)
        {
            throw new InvalidOperationException($"model {Name} is already built on {Accelerator.Name}");
        }
        Accelerator = accelerator;
        MaxBatch = maxBatch;
        var random = new Random(seed);
        var shape = Input;
        for (int i = 0; i < Layers.Count; i++)
        {
            if (FuseBlocks && Layers[i] is BatchNorm norm && i + 1 < Layers.Count && Layers[i + 1] is MaxPool pool)
            {
                norm.TryFuse(pool, shape);
            }
            if (FuseBlocks && Layers[i] is Conv { FusedRelu: false } conv && i + 1 < Layers.Count && Layers[i + 1] is BatchNorm)
            {
                conv.BiasCancelledByBatchNorm = true;
            }
            Layers[i].Build(accelerator, shape, maxBatch, random);
            shape = Layers[i].OutputShape;
        }
    }

    /// <summary>
    /// Whether <see cref="Build"/> runs each batch norm with a ReLU and the 2×2 pooling after it as one op
    /// (<see cref="GpuConvNet.Kernels.BatchNormPool"/>), and skips the gradient of a convolution's bias that a batch
    /// norm right after it cancels (<see cref="Conv.BiasCancelledByBatchNorm"/>); default true. Off, every layer runs
    /// its own passes (the reference these are tested and measured against). Set before <see cref="Build"/>.
    /// </summary>
    public bool FuseBlocks { get; set; } = true;

    /// <summary>Logits (batch, classes) of x (batch, input).</summary>
    public ArrayView<float> Forward(ArrayView<float> x, int batch, StepContext step)
    {
        CheckBatch(batch);
        for (int i = 0; i < Layers.Count; i++)
        {
            if (Layers[i] is BatchNorm { FusedPool: not null } norm)
            {
                x = norm.ForwardPooled(x, batch, step);
                i++; // the pooling's pass is done
                continue;
            }
            x = Layers[i].Forward(x, batch, step);
        }
        return x;
    }

    /// <summary>
    /// The float64 reference of <see cref="Forward"/> in inference mode, layer by layer (each layer's input rounded to
    /// float, as the device holds it): logits (batch, classes).
    /// </summary>
    public double[] ReferenceForward(float[] x, int batch)
    {
        double[] y = Array.ConvertAll(x, v => (double)v);
        foreach (var layer in Layers)
        {
            y = layer.ReferenceForward(Array.ConvertAll(y, v => (float)v), batch);
        }
        return y;
    }

    /// <summary>Back-propagates d loss / d logits, leaving every parameter's gradient written.</summary>
    public void Backward(ArrayView<float> logitsGradient, int batch)
    {
        CheckBatch(batch);
        var dy = logitsGradient;
        for (int i = Layers.Count - 1; i >= 0; i--)
        {
            if (Layers[i] is MaxPool { FusedInto: { } norm })
            {
                i--; // the batch norm's pass too
                dy = norm.BackwardPooled(dy, batch, needInputGradient: i > 0);
                continue;
            }
            dy = Layers[i].Backward(dy, batch, needInputGradient: i > 0);
        }
    }

    /// <summary>One line per layer: what it is, its output shape, its parameter count.</summary>
    public IEnumerable<(string Layer, string Output, long Parameters)> Summary() =>
        Layers.Select(l => (l.Describe(), l.OutputShape.ToString(), l.Parameters.Sum(p => (long)p.Length)));

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var layer in Layers)
        {
            layer.Dispose();
        }
    }

    private void CheckBatch(int batch)
    {
        if (Accelerator is null)
        {
            throw new InvalidOperationException($"model {Name} is not built: call Build first");
        }
        if (batch < 1 || batch > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), $"model {Name}: batch {batch} outside 1..{MaxBatch}");
        }
    }
}

/// <summary>The loss a model trains with.</summary>
public enum LossKind
{
    /// <summary>Softmax over the logits, then cross-entropy with the label.</summary>
    SoftmaxCrossEntropy,

    /// <summary>A sigmoid per logit, then binary cross-entropy against the one-hot label.</summary>
    SigmoidBinaryCrossEntropy,
}
