using GpuConvNet.Compute;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;
using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.Kernels;

namespace GpuConvNet.Tests.Nn;

/// <summary>Every model of the zoo: the device forward (inference) against the float64 forward composed of the kernels' references.</summary>
// Not on Oclgrind: a simulator spends minutes on one cnn forward (lenet5 alone took 15 s); the kernels the models
// launch are each covered there by their op's suite on small shapes.
[NotOnEngines("oclgrind")]
public abstract class ModelForwardTests : AcceleratorTest
{
    public static IEnumerable<object[]> Models => ModelZoo.All.Select(r => new object[] { r.Name });

    [TestMethod]
    [DynamicData(nameof(Models))]
    public void Forward_MatchesTheFloat64Reference(string name)
    {
        const int batch = 3;
        using var model = ModelZoo.Get(name).Create();
        model.Build(Accelerator, batch, seed: 7);
        var x = TestData.Uniform(batch * model.Input.Size, seed: 3, low: -0.5f, high: 2.5f);
        using var input = Accelerator.Allocate(x);
        var logits = model.Forward(input.View, batch, StepContext.Inference).SubView(0, batch * model.Classes);
        using var copy = Accelerator.Allocate<float>(logits.Length);
        Accelerator.Launch(TensorKernels.CopyInto, new Index1D(logits.Length), logits, copy.View);
        // Several float32 layers in a row, each summing up to 9216 products: a few ulps of the largest partial sums.
        TestData.AssertClose(model.ReferenceForward(x, batch), copy.ToArray(), 2e-4, 1e-3, $"{name} logits");
    }
}
