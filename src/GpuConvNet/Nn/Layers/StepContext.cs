namespace GpuConvNet.Nn.Layers;

/// <summary>What a forward pass needs to know about the step: training or inference, and the seed and step counter that make dropout reproducible.</summary>
/// <param name="Training">Dropout and other training-only behaviour on.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Step">The global step (batch) number: dropout masks differ per step and repeat for the same (seed, step).</param>
public readonly record struct StepContext(bool Training, int Seed, int Step)
{
    /// <summary>Inference: no dropout.</summary>
    public static StepContext Inference => new(false, 0, 0);
}
