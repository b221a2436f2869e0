using GpuConvNet.Compute;

namespace GpuConvNet.Nn.Layers;

/// <summary>
/// One layer of a sequential model. <see cref="Build"/> allocates its parameters and its output and input-gradient
/// buffers once, for batches up to a maximum size; <see cref="Forward"/> and <see cref="Backward"/> then only launch
/// kernels (no allocation, no host round-trip). Tensors are (batch, C, H, W) row-major views.
/// </summary>
public abstract class Layer : IDisposable
{
    private readonly List<Parameter> parameters = [];
    private readonly List<IDisposable> buffers = [];

    /// <summary>The accelerator the layer was built on.</summary>
    protected Accelerator Accelerator { get; private set; } = null!;

    /// <summary>The largest batch the buffers hold.</summary>
    protected int MaxBatch { get; private set; }

    /// <summary>Per-sample input shape.</summary>
    public Shape InputShape { get; private set; }

    /// <summary>Per-sample output shape.</summary>
    public Shape OutputShape { get; private set; }

    /// <summary>Trainable parameters, in checkpoint order.</summary>
    public IReadOnlyList<Parameter> Parameters => parameters;

    /// <summary>
    /// Tensors the layer keeps besides its parameters and updates itself (a batch norm's running statistics): saved in
    /// checkpoints after the parameters, loaded with them, never touched by the optimiser.
    /// </summary>
    public virtual IReadOnlyList<LayerState> States => [];

    /// <summary>
    /// Counts the layer keeps on the host (a batch norm's batches seen): saved in checkpoints after the states, as I64
    /// scalars, and loaded with them.
    /// </summary>
    public virtual IReadOnlyList<LayerCounter> Counters => [];

    /// <summary>Name prefix of this layer's parameters (set by the model, e.g. <c>conv1</c>).</summary>
    public string Name { get; internal set; } = "";

    /// <summary>Prefix of the layer's name, numbered per kind by the model (<c>conv</c> → conv1, conv2).</summary>
    public abstract string NamePrefix { get; }

    /// <summary>What the layer is, e.g. <c>Conv2D(1→32, 3×3)</c>.</summary>
    public abstract string Describe();

    /// <summary>Allocates parameters and buffers for <paramref name="input"/> samples in batches up to <paramref name="maxBatch"/>.</summary>
    public void Build(Accelerator accelerator, Shape input, int maxBatch, Random initialisation)
    {
        Accelerator = accelerator;
        MaxBatch = maxBatch;
        InputShape = input;
        OutputShape = BuildCore(input, initialisation);
    }

    /// <summary>Checks the input shape, allocates, initialises parameters; returns the output shape.</summary>
    protected abstract Shape BuildCore(Shape input, Random initialisation);

    /// <summary>y = layer(x) for <paramref name="batch"/> samples; the result is a view of the layer's own buffer.</summary>
    public abstract ArrayView<float> Forward(ArrayView<float> x, int batch, StepContext step);

    /// <summary>
    /// The float64 reference of <see cref="Forward"/> in inference mode, from the kernels' references and the layer's
    /// current parameters (read back from the device): what tests and benchmarks check the device forward against.
    /// </summary>
    public abstract double[] ReferenceForward(float[] x, int batch);

    /// <summary>
    /// From dy (batch, output), writes the parameters' gradients and returns dx (batch, input), a view of the layer's
    /// buffer — or an empty view when <paramref name="needInputGradient"/> is false (the first layer). Uses the tensors
    /// of the last <see cref="Forward"/>.
    /// </summary>
    public abstract ArrayView<float> Backward(ArrayView<float> dy, int batch, bool needInputGradient);

    /// <summary>A parameter owned (and disposed) by this layer.</summary>
    protected Parameter AddParameter(string suffix, int[] shape, int fanIn, Random initialisation)
    {
        var parameter = new Parameter(Accelerator, $"{Name}.{suffix}", shape, fanIn);
        parameter.InitialiseUniform(initialisation);
        parameters.Add(parameter);
        return parameter;
    }

    /// <summary>A parameter owned by this layer, every element <paramref name="fill"/> (a batch norm's gamma 1 and beta 0).</summary>
    protected Parameter AddParameter(string suffix, int[] shape, float fill)
    {
        var parameter = new Parameter(Accelerator, $"{Name}.{suffix}", shape, fanIn: 1);
        parameter.Value.Fill(fill);
        parameters.Add(parameter);
        return parameter;
    }

    /// <summary>A buffer of <paramref name="length"/> floats, not per sample, filled with <paramref name="fill"/> and owned by this layer.</summary>
    protected MemoryBuffer<float> AddFixedBuffer(int length, float fill)
    {
        var buffer = Accelerator.Allocate<float>(length);
        buffer.Fill(fill);
        buffers.Add(buffer);
        return buffer;
    }

    /// <summary>A work buffer of <paramref name="perSample"/> floats per sample, owned by this layer.</summary>
    protected MemoryBuffer<float> AddBuffer(int perSample) => AddBuffer<float>(perSample);

    /// <summary>A work buffer of <paramref name="perSample"/> elements per sample, owned by this layer.</summary>
    protected MemoryBuffer<T> AddBuffer<T>(int perSample) where T : unmanaged
    {
        var buffer = Accelerator.Allocate<T>(checked(perSample * MaxBatch));
        buffers.Add(buffer);
        return buffer;
    }

    /// <summary>The first <paramref name="batch"/> samples of a per-sample buffer.</summary>
    protected static ArrayView<T> Batch<T>(MemoryBuffer<T> buffer, int perSample, int batch) where T : unmanaged =>
        buffer.View.SubView(0, perSample * batch);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var parameter in parameters)
        {
            parameter.Dispose();
        }
        foreach (var buffer in buffers)
        {
            buffer.Dispose();
        }
        parameters.Clear();
        buffers.Clear();
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees what a layer holds besides its parameters and buffers.</summary>
    protected virtual void DisposeCore()
    {
    }

    /// <inheritdoc />
    public override string ToString() => Describe();
}
