using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;

namespace GpuConvNet.Training;

/// <summary>Applies SGD or Adam to every parameter of a model, keeping each one's state (velocity, or m and v) on the device.</summary>
public sealed class ParameterOptimizer : IDisposable
{
    private readonly OptimizerKind kind;
    private readonly float weightDecay;
    private readonly List<(Parameter Parameter, MemoryBuffer<float> First, MemoryBuffer<float>? Second)> state = [];

    /// <summary>An optimiser for <paramref name="parameters"/> with zeroed state.</summary>
    public ParameterOptimizer(Accelerator accelerator, IEnumerable<Parameter> parameters, OptimizerKind kind, float weightDecay = 0f)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(parameters);
        this.kind = kind;
        this.weightDecay = weightDecay;
        foreach (var parameter in parameters)
        {
            var first = accelerator.Allocate<float>(parameter.Length);
            first.Fill(0f);
            MemoryBuffer<float>? second = null;
            if (kind == OptimizerKind.Adam)
            {
                second = accelerator.Allocate<float>(parameter.Length);
                second.Fill(0f);
            }
            state.Add((parameter, first, second));
        }
        Accelerator = accelerator;
    }

    /// <summary>The accelerator the state lives on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Steps taken so far.</summary>
    public int Steps { get; private set; }

    /// <summary>The prefix of the optimiser's tensors in a checkpoint: <c>optimizer.&lt;parameter&gt;.&lt;state&gt;</c>.</summary>
    public const string TensorPrefix = "optimizer.";

    /// <summary>
    /// The state as named tensors, with PyTorch's state names (<c>exp_avg</c>, <c>exp_avg_sq</c> for Adam,
    /// <c>momentum_buffer</c> for SGD): what a resumable checkpoint stores beside the parameters.
    /// </summary>
    public IEnumerable<(string Name, int[] Shape, MemoryBuffer<float> Buffer)> StateTensors()
    {
        foreach (var (parameter, first, second) in state)
        {
            string prefix = TensorPrefix + parameter.Name + ".";
            yield return (prefix + (kind == OptimizerKind.Adam ? "exp_avg" : "momentum_buffer"), parameter.Shape, first);
            if (second is not null)
            {
                yield return (prefix + "exp_avg_sq", parameter.Shape, second);
            }
        }
    }

    /// <summary>Restores the state saved by <see cref="StateTensors"/> after <paramref name="steps"/> steps.</summary>
    public void Restore(int steps, Func<string, float[]> tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        foreach (var (name, _, buffer) in StateTensors())
        {
            buffer.CopyFromHost(tensor(name));
        }
        Steps = steps;
    }

    /// <summary>Moves every parameter against its gradient with <paramref name="learningRate"/>.</summary>
    public void Step(float learningRate)
    {
        Steps++;
        foreach (var (parameter, first, second) in state)
        {
            if (kind == OptimizerKind.Adam)
            {
                Optimizer.AdamStep(Accelerator, parameter.Value.View, parameter.Gradient.View, first.View, second!.View,
                    new AdamSettings(learningRate, WeightDecay: weightDecay), Steps);
            }
            else
            {
                Optimizer.SgdStep(Accelerator, parameter.Value.View, parameter.Gradient.View, first.View,
                    new SgdSettings(learningRate, Momentum: 0.9f, WeightDecay: weightDecay));
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, first, second) in state)
        {
            first.Dispose();
            second?.Dispose();
        }
        state.Clear();
    }
}
