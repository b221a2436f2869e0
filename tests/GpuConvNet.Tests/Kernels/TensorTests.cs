using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>The shared whole-tensor ops: copy, one-hot, weighted accumulate, against their float64 reference.</summary>
public abstract class TensorTests : AcceleratorTest
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(7)]
    [DataRow(1025)]
    public void Copy_CopiesEveryElement_IntoASubView(int n)
    {
        var source = TestData.Uniform(n, seed: n);
        using var x = Accelerator.Allocate(source);
        using var y = Accelerator.Allocate<float>(n + 2);
        y.Fill(float.NaN);
        Tensor.Copy(Accelerator, x.View, y.View.SubView(1, n));
        var result = y.ToArray();
        CollectionAssert.AreEqual(source, result[1..^1]);
        Assert.IsTrue(float.IsNaN(result[0]) && float.IsNaN(result[^1]), "nothing outside the destination is written");
    }

    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(3, 10)]
    [DataRow(129, 7)]
    public void OneHot_MatchesTheReference(int n, int classes)
    {
        var random = new Random(n * classes);
        var labels = Enumerable.Range(0, n).Select(_ => random.Next(classes)).ToArray();
        using var l = Accelerator.Allocate(labels);
        using var t = Accelerator.Allocate<float>(n * classes);
        t.Fill(float.NaN);
        Tensor.OneHot(Accelerator, l.View, t.View, classes);
        CollectionAssert.AreEqual(TensorReference.OneHot(labels, classes).Select(v => (float)v).ToArray(), t.ToArray());
    }

    [TestMethod]
    public void AccumulateScalar_AddsTheWeightedValue_EachTime()
    {
        using var value = Accelerator.Allocate(new[] { 0.25f });
        using var sum = Accelerator.Allocate(new[] { 1f });
        double expected = 1;
        foreach (float weight in new[] { 64f, 3f, 0.5f })
        {
            Tensor.AccumulateScalar(Accelerator, value.View, sum.View, weight);
            expected = TensorReference.AccumulateScalar(expected, 0.25, weight);
        }
        Assert.AreEqual(expected, sum.ToArray()[0], 1e-6);
    }

    [TestMethod]
    public void BadShapes_NameTheOpAndTheMismatch()
    {
        using var labels = Accelerator.Allocate<int>(4);
        using var targets = Accelerator.Allocate<float>(10);
        var error = Assert.ThrowsExactly<ArgumentException>(() => Tensor.OneHot(Accelerator, labels.View, targets.View, 3));
        StringAssert.Contains(error.Message, "Tensor.OneHot: targets has 10 elements but (4, 3) needs 12");
        error = Assert.ThrowsExactly<ArgumentException>(() => Tensor.Copy(Accelerator, targets.View, targets.View.SubView(0, 9)));
        StringAssert.Contains(error.Message, "Tensor.Copy: destination has 9 elements but the source (10) needs 10");
        error = Assert.ThrowsExactly<ArgumentException>(() => Tensor.AccumulateScalar(Accelerator, targets.View, targets.View.SubView(0, 1), 1f));
        StringAssert.Contains(error.Message, "Tensor.AccumulateScalar: value has 10 elements but a scalar (1) needs 1");
    }
}
