using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>
/// SGD and Adam: several steps, each with fresh gradients, against float64 references that keep their own double state;
/// weights and optimiser state are compared after every step, so an error in any step (or in the step number) shows.
/// </summary>
public abstract class OptimizerTests : AcceleratorTest
{
    private const int Steps = 6;

    public static IEnumerable<object[]> SgdCases()
    {
        foreach (int count in new[] { 1, 7, 1000, 4099 })
        {
            yield return [count, 0.1f, 0f, 0f, false];          // plain SGD
            yield return [count, 0.05f, 0.9f, 5e-4f, false];    // the cnn model's settings
            yield return [count, 0.05f, 0.9f, 1e-2f, true];     // Nesterov
        }
    }

    [TestMethod]
    [DynamicData(nameof(SgdCases))]
    public void SgdStep_SeveralSteps_MatchesReference(int count, float lr, float momentum, float weightDecay, bool nesterov)
    {
        var settings = new SgdSettings(lr, momentum, weightDecay, nesterov);
        var w0 = TestData.Uniform(count, seed: count);
        using var w = Accelerator.Allocate(w0);
        using var velocity = Accelerator.Allocate<float>(count);
        velocity.Fill(0f);
        var refW = w0.Select(x => (double)x).ToArray();
        var refV = new double[count];
        for (int step = 1; step <= Steps; step++)
        {
            var grad = TestData.Uniform(count, seed: 1000 * step + count);
            using var dgrad = Accelerator.Allocate(grad);
            Optimizer.SgdStep(Accelerator, w.View, dgrad.View, velocity.View, settings);
            OptimizerReference.SgdStep(refW, grad, refV, settings);
            // |g| ≤ 1.1 and |v| ≤ Σ μ^k·|g| < 6.6: each float step rounds v and w at ≲ 2ε·7 ≈ 1e-6, and errors add over
            // the 6 steps (velocity errors are damped by μ < 1): atol 1e-5 with rtol 1e-5 bounds that with margin.
            string what = $"SGD step {step} (n {count}, lr {lr}, μ {momentum}, wd {weightDecay}, nesterov {nesterov})";
            TestData.AssertClose(refV, velocity.ToArray(), 1e-5, 1e-5, what + " velocity");
            TestData.AssertClose(refW, w.ToArray(), 1e-5, 1e-5, what + " w");
        }
    }

    public static IEnumerable<object[]> AdamCases()
    {
        foreach (int count in new[] { 1, 7, 1000, 4099 })
        {
            yield return [count, 1e-3f, 0.9f, 0.999f, 0f, AdamWeightDecay.Coupled];
            yield return [count, 1e-2f, 0.8f, 0.99f, 1e-2f, AdamWeightDecay.Coupled];
            yield return [count, 1e-2f, 0.9f, 0.999f, 5e-2f, AdamWeightDecay.Decoupled];
        }
    }

    [TestMethod]
    [DynamicData(nameof(AdamCases))]
    public void AdamStep_SeveralSteps_MatchesReference(int count, float lr, float beta1, float beta2, float weightDecay, AdamWeightDecay decay)
    {
        var settings = new AdamSettings(lr, beta1, beta2, 1e-8f, weightDecay, decay);
        var w0 = TestData.Uniform(count, seed: count + 1);
        using var w = Accelerator.Allocate(w0);
        using var m = Accelerator.Allocate<float>(count);
        using var v = Accelerator.Allocate<float>(count);
        m.Fill(0f);
        v.Fill(0f);
        var refW = w0.Select(x => (double)x).ToArray();
        var refM = new double[count];
        var refV = new double[count];
        for (int step = 1; step <= Steps; step++)
        {
            var grad = TestData.Uniform(count, seed: 2000 * step + count);
            for (int i = 3; i < count; i += 5)
            {
                grad[i] *= 1e-7f;                 // |g| near ε: √v̂ and ε are of the same size, so ε's placement matters
            }
            using var dgrad = Accelerator.Allocate(grad);
            Optimizer.AdamStep(Accelerator, w.View, dgrad.View, m.View, v.View, settings, step);
            OptimizerReference.AdamStep(refW, grad, refM, refV, settings, step);
            // m and v are convex combinations of (float-rounded) g and g²: a few ε relative, plus ε·|w|·wd through the
            // coupled decay. w moves by ≤ lr·|m̂ / (√v̂ + ε)| ≲ 3·lr per step with a relative error of a few ε, so w's
            // error is ≲ 6·(ε·|w| + 3·lr·4ε) ≈ 1e-6: atol 2e-6 leaves margin; m's and v's atol cover their tiny entries.
            string what = $"Adam step {step} (n {count}, lr {lr}, β {beta1}/{beta2}, wd {weightDecay} {decay})";
            TestData.AssertClose(refM, m.ToArray(), 1e-7, 1e-5, what + " m");
            TestData.AssertClose(refV, v.ToArray(), 1e-8, 1e-5, what + " v");
            TestData.AssertClose(refW, w.ToArray(), 2e-6, 1e-5, what + " w");
        }
    }

    [TestMethod]
    public void Optimizers_WithMismatchedShapes_NameOpAndOperand()
    {
        using var w = Accelerator.Allocate<float>(6);
        using var grad = Accelerator.Allocate<float>(5);
        var sgd = Assert.ThrowsExactly<ArgumentException>(() => Optimizer.SgdStep(Accelerator, w.View, grad.View, w.View, new SgdSettings(0.1f)));
        StringAssert.Contains(sgd.Message, "Sgd: grad has 5 elements but w (6) needs 6");
        var adam = Assert.ThrowsExactly<ArgumentException>(() => Optimizer.AdamStep(Accelerator, w.View, w.View, w.View, grad.View, new AdamSettings(), 1));
        StringAssert.Contains(adam.Message, "Adam: v has 5 elements but w (6) needs 6");
        var stepZero = Assert.ThrowsExactly<ArgumentException>(() => Optimizer.AdamStep(Accelerator, w.View, w.View, w.View, w.View, new AdamSettings(), 0));
        StringAssert.Contains(stepZero.Message, "Adam: step is 0");
    }
}

/// <summary>Host-side parts of the optimisers: PyTorch's semantics and the bias-correction factors.</summary>
[TestClass]
public sealed class OptimizerReferenceTests
{
    [TestMethod]
    public void SgdFirstStep_WithZeroVelocity_IsPyTorchsFirstStep()
    {
        // PyTorch sets v = g on the first step instead of μ·v + g; with v = 0 the two agree.
        var w = new double[] { 0.5, -2 };
        var v = new double[2];
        OptimizerReference.SgdStep(w, [1f, 0.25f], v, new SgdSettings(0.1f, 0.9f, 0.5f));
        CollectionAssert.AreEqual(new[] { 1.25, -0.75 }, v);
        Assert.AreEqual(0.5 - 0.1 * 1.25, w[0], 1e-7);     // lr is a float: 0.1f
        Assert.AreEqual(-2 + 0.1 * 0.75, w[1], 1e-7);
    }

    [TestMethod]
    public void AdamFirstStep_MovesEachWeightByLearningRateAgainstItsGradientSign()
    {
        // m̂ = g and v̂ = g² at t = 1, so the step is lr·g / (|g| + ε) ≈ ±lr.
        var w = new double[] { 1, 1 };
        OptimizerReference.AdamStep(w, [0.3f, -4f], new double[2], new double[2], new AdamSettings(0.01f), 1);
        Assert.AreEqual(1 - 0.01, w[0], 1e-8);
        Assert.AreEqual(1 + 0.01, w[1], 1e-8);
    }

    [TestMethod]
    public void BiasCorrection_IsComputedInDouble()
    {
        var settings = new AdamSettings(1e-3f, 0.9f, 0.999f);
        var (stepSize, correction2Sqrt) = Optimizer.BiasCorrection(settings, 1);
        Assert.AreEqual((float)(1e-3f / (1 - (double)0.9f)), stepSize);
        Assert.AreEqual((float)Math.Sqrt(1 - (double)0.999f), correction2Sqrt);
        var (_, late) = Optimizer.BiasCorrection(settings, 100_000);
        Assert.AreEqual(1f, late);
    }
}
