using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Nn;

/// <summary>
/// Models whose batch norms run fused with the pooling after them (<see cref="BatchNormPool"/>) and whose
/// convolutions leave the bias gradient a batch norm cancels at 0, against the same models run layer by layer: the same
/// logits in training, the same gradient for every other parameter, the same running statistics, on every engine.
/// </summary>
// Not on Oclgrind: a training step of these models takes the simulator minutes; BatchNormPoolTests covers the kernels there.
[NotOnEngines("oclgrind")]
public abstract class BlockFusionTests : AcceleratorTest
{
    [TestMethod]
    [DataRow("fast")]
    [DataRow("cnn-best")]
    public void FusedTrainingStep_GivesTheLayerByLayerGradients(string name)
    {
        const int batch = 3;
        using var fused = Build(name, fuse: true);
        using var plain = Build(name, fuse: false);
        var pairs = fused.Layers.OfType<GpuConvNet.Nn.Layers.BatchNorm>().Count(n => n.FusedPool is not null);
        Assert.IsTrue(pairs >= 2, $"{name}: its conv blocks' batch norms run fused with their pooling ({pairs} pairs)");
        Assert.IsFalse(plain.Layers.OfType<GpuConvNet.Nn.Layers.BatchNorm>().Any(n => n.FusedPool is not null), "FuseBlocks off fuses nothing");
        var x = TestData.Uniform(batch * fused.Input.Size, seed: 5, low: -0.5f, high: 2.5f);
        int[] labels = [3, 0, 7];
        using var input = Accelerator.Allocate(x);
        using var targets = ClassLabels.Upload(Accelerator, labels, fused.Classes);

        var fusedLogits = Step(fused, input.View, targets, batch);
        var plainLogits = Step(plain, input.View, targets, batch);

        // Both sum the same float32 products in the same order but for the pooled-domain sums of the batch norm's
        // backward (a quarter of the terms, the rest being zeros): a few ulps of the largest partial sums.
        TestData.AssertClose(D(plainLogits), fusedLogits, 1e-5, 1e-4, $"{name} training logits");
        var cancelled = fused.Layers.OfType<Conv>().Where(c => c.BiasCancelledByBatchNorm).Select(c => c.Bias.Name).ToHashSet();
        Assert.AreEqual(fused.Layers.OfType<Conv>().Count(), cancelled.Count, $"{name}: every convolution feeds a batch norm");
        foreach (var (f, p) in fused.Parameters.Zip(plain.Parameters))
        {
            if (cancelled.Contains(f.Name))
            {
                // The batch norm's mean cancels the bias: layer by layer its gradient is float32 rounding around 0.
                Assert.IsTrue(f.Gradient.ToArray().All(g => g == 0f), $"{name}: {f.Name}'s gradient is left at 0");
                TestData.AssertClose(new double[p.Length], p.Gradient.ToArray(), 1e-5, 0, $"{name} layer-by-layer gradient of {f.Name}");
                continue;
            }
            TestData.AssertClose(D(p.Gradient.ToArray()), f.Gradient.ToArray(), 1e-5, 1e-3, $"{name} gradient of {f.Name}");
        }
        foreach (var (f, p) in fused.States.Zip(plain.States))
        {
            TestData.AssertClose(D(p.Value.ToArray()), f.Value.ToArray(), 1e-6, 1e-5, $"{name} {f.Name}");
        }
    }

    private Model Build(string name, bool fuse)
    {
        var model = ModelZoo.Get(name).Create();
        model.FuseBlocks = fuse;
        model.Build(Accelerator, 3, seed: 11);
        return model;
    }

    private float[] Step(Model model, ArrayView<float> input, ClassLabels labels, int batch)
    {
        using var loss = new LossFunction(Accelerator, model.Loss, batch, model.Classes);
        var logits = model.Forward(input, batch, new StepContext(true, 1, 0));
        loss.Forward(logits, labels, batch);
        using var copy = Accelerator.Allocate<float>(batch * model.Classes);
        Accelerator.Launch(TensorKernels.CopyInto, new Index1D(copy.Length), logits.SubView(0, copy.Length), copy.View);
        model.Backward(loss.Backward(logits, labels, batch), batch);
        return copy.ToArray();
    }

    private static double[] D(float[] values) => [.. values.Select(v => (double)v)];
}
