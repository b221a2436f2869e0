using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>How Adam applies weight decay.</summary>
public enum AdamWeightDecay
{
    /// <summary>Adam's L2 (torch.optim.Adam's weight_decay): wd·w is added to the gradient, so it passes through m and v.</summary>
    Coupled,

    /// <summary>AdamW (torch.optim.AdamW): w ·= 1 − lr·wd before the Adam step, independent of the gradient's scale.</summary>
    Decoupled,
}

/// <summary>Hyper-parameters of <see cref="Optimizer.SgdStep"/> (PyTorch's defaults apart from the learning rate).</summary>
/// <param name="LearningRate">lr.</param>
/// <param name="Momentum">μ; 0 is plain SGD.</param>
/// <param name="WeightDecay">Coupled L2 factor wd.</param>
/// <param name="Nesterov">Nesterov momentum: the step is g + μ·v instead of v.</param>
public readonly record struct SgdSettings(float LearningRate, float Momentum = 0f, float WeightDecay = 0f, bool Nesterov = false);

/// <summary>Hyper-parameters of <see cref="Optimizer.AdamStep"/> (PyTorch's defaults).</summary>
/// <param name="LearningRate">lr.</param>
/// <param name="Beta1">β1.</param>
/// <param name="Beta2">β2.</param>
/// <param name="Epsilon">ε, added to √v̂.</param>
/// <param name="WeightDecay">wd, applied as <paramref name="Decay"/> says.</param>
/// <param name="Decay">Coupled (Adam) or decoupled (AdamW) weight decay.</param>
public readonly record struct AdamSettings(float LearningRate = 1e-3f, float Beta1 = 0.9f, float Beta2 = 0.999f, float Epsilon = 1e-8f,
    float WeightDecay = 0f, AdamWeightDecay Decay = AdamWeightDecay.Coupled);

/// <summary>In-place optimiser steps over a flat parameter vector, with PyTorch's semantics.</summary>
public static class Optimizer
{
    /// <summary>
    /// One SGD step: g = grad + wd·w; v = μ·v + g; w −= lr·v (Nesterov: w −= lr·(g + μ·v)). w, grad, velocity: (count);
    /// w and velocity are updated in place; start velocity at 0. Asynchronous like any launch.
    /// </summary>
    public static void SgdStep(Accelerator accelerator, ArrayView<float> w, ArrayView<float> grad, ArrayView<float> velocity, SgdSettings settings)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "Sgd";
        ShapeCheck.Positive(op, ("w length", w.Length));
        ShapeCheck.Length(op, "grad", grad.Length, w.Length, $"w ({w.Length})");
        ShapeCheck.Length(op, "velocity", velocity.Length, w.Length, $"w ({w.Length})");
        accelerator.Launch(OptimizerKernels.SgdMomentum, new Index1D(w.Length), w, grad, velocity,
            settings.LearningRate, settings.Momentum, settings.WeightDecay, settings.Nesterov ? 1 : 0);
    }

    /// <summary>
    /// Adam step <paramref name="step"/> (1 for the first): m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
    /// w −= lr·m̂ / (√v̂ + ε) with m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t); g includes wd·w for coupled decay, and
    /// decoupled decay first scales w by 1 − lr·wd. w, grad, m, v: (count); w, m and v are updated in place; start m
    /// and v at 0. Asynchronous.
    /// </summary>
    public static void AdamStep(Accelerator accelerator, ArrayView<float> w, ArrayView<float> grad, ArrayView<float> m, ArrayView<float> v,
        AdamSettings settings, int step)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "Adam";
        ShapeCheck.Positive(op, ("w length", w.Length), ("step", step));
        ShapeCheck.Length(op, "grad", grad.Length, w.Length, $"w ({w.Length})");
        ShapeCheck.Length(op, "m", m.Length, w.Length, $"w ({w.Length})");
        ShapeCheck.Length(op, "v", v.Length, w.Length, $"w ({w.Length})");
        var (stepSize, correction2Sqrt) = BiasCorrection(settings, step);
        bool decoupled = settings.Decay == AdamWeightDecay.Decoupled;
        float l2 = decoupled ? 0f : settings.WeightDecay;
        float decoupledFactor = decoupled ? (float)(1.0 - (double)settings.LearningRate * settings.WeightDecay) : 1f;
        accelerator.Launch(OptimizerKernels.Adam, new Index1D(w.Length), w, grad, m, v,
            settings.Beta1, settings.Beta2, settings.Epsilon, stepSize, correction2Sqrt, l2, decoupledFactor);
    }

    /// <summary>
    /// lr / (1 − β1^t) and √(1 − β2^t), computed in double and rounded once to float (β2^t is within 1e-3 of 1 early
    /// on, where float powers would lose most of the difference's digits).
    /// </summary>
    public static (float StepSize, float Correction2Sqrt) BiasCorrection(AdamSettings settings, int step) =>
        ((float)(settings.LearningRate / (1.0 - Math.Pow(settings.Beta1, step))), (float)Math.Sqrt(1.0 - Math.Pow(settings.Beta2, step)));
}
