using GpuConvNet.Nn;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Nn;

/// <summary>The batch loop that evaluation and prediction share: every sample once, in order, the last batch partial.</summary>
[TestClass]
public sealed class InferencePassTests
{
    [TestMethod]
    public void EverySample_IsForwardedOnceInOrder_AndItsLogitsKept_WhateverTheBatchItFallsIn()
    {
        var cpu = Backends.Get("cpu");
        using var model = ModelZoo.Get("mlp").Create();
        model.Build(cpu, maxBatch: 64, seed: 3);
        const int count = 150;
        var x = TestData.Uniform(count * 784, seed: 4, low: -1f, high: 1f);
        using var inputs = cpu.Allocate(x);
        var asked = new List<(int Start, int Size)>();
        var seen = new List<(int Start, int Size)>();

        var logits = InferencePass.Run(model, count, 64, (start, size) =>
        {
            asked.Add((start, size));
            return inputs.View.SubView(start * 784, size * 784);
        }, (_, start, size) => seen.Add((start, size)), keepLogits: true)!;

        CollectionAssert.AreEqual(new[] { (0, 64), (64, 64), (128, 22) }, asked);
        CollectionAssert.AreEqual(asked, seen, "each batch's logits are offered before the next batch is asked for");
        Assert.HasCount(count * 10, logits);
        // Sample 130 (in the partial last batch) gives alone what it gave among the others.
        var alone = InferencePass.Run(model, 1, 64, (_, _) => inputs.View.SubView(130 * 784, 784), null, keepLogits: true)!;
        var reference = model.ReferenceForward(x[(130 * 784)..(131 * 784)], 1);
        for (int c = 0; c < 10; c++)
        {
            Assert.AreEqual(alone[c], logits[130 * 10 + c], 1e-6, $"class {c}: its place among the others");
            Assert.AreEqual(reference[c], logits[130 * 10 + c], 1e-4, $"class {c}: the float64 forward");
        }
    }

    [TestMethod]
    public void WithoutKeepingLogits_NoneAreReturned()
    {
        var cpu = Backends.Get("cpu");
        using var model = ModelZoo.Get("mlp").Create();
        model.Build(cpu, maxBatch: 8, seed: 3);
        using var inputs = cpu.Allocate(new float[8 * 784]);

        Assert.IsNull(InferencePass.Run(model, 8, 8, (start, size) => inputs.View.SubView(start * 784, size * 784), null, keepLogits: false));
    }
}
