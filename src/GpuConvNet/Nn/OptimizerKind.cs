namespace GpuConvNet.Nn;

/// <summary>The optimisers the command line offers.</summary>
public enum OptimizerKind
{
    /// <summary>SGD with momentum (0.9) and optional weight decay.</summary>
    Sgd,

    /// <summary>Adam (β = 0.9, 0.999; ε = 1e-8).</summary>
    Adam,
}

/// <summary>How the learning rate changes over the epochs.</summary>
public enum ScheduleKind
{
    /// <summary>The same every epoch.</summary>
    Constant,

    /// <summary>Multiplied by 0.7 after every epoch (PyTorch's MNIST example's StepLR).</summary>
    Step,

    /// <summary>Cosine annealing from the initial rate to 0 over the run.</summary>
    Cosine,

    /// <summary>
    /// One cycle (Smith's super-convergence, PyTorch's OneCycleLR), per step: up from a 25th of the rate to the rate over
    /// the first quarter of training, then down along half a cosine to a 10,000th of it.
    /// </summary>
    OneCycle,
}
