using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>The device shuffle: a permutation, the same on every backend, different per epoch.</summary>
public abstract class ShuffleTests : AcceleratorTest
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(7)]
    [DataRow(1000)]
    [DataRow(54_000)]
    public void Permutation_IsAPermutation_EqualToTheReference(int n)
    {
        using var indices = Accelerator.Allocate<int>(n);
        indices.Fill(-1);
        Shuffle.Permutation(Accelerator, indices.View, seed: 42, epoch: 3);
        var result = indices.ToArray();
        CollectionAssert.AreEqual(ShuffleReference.Permutation(n, 42, 3), result);
        CollectionAssert.AreEquivalent(Enumerable.Range(0, n).ToArray(), result);
    }

    [TestMethod]
    public void Permutation_DiffersBetweenEpochs_AndLooksRandom()
    {
        const int n = 10_000;
        using var indices = Accelerator.Allocate<int>(n);
        Shuffle.Permutation(Accelerator, indices.View, seed: 1, epoch: 0);
        var first = indices.ToArray();
        Shuffle.Permutation(Accelerator, indices.View, seed: 1, epoch: 1);
        var second = indices.ToArray();
        // Two independent random permutations agree in about one position; fixed points likewise (mean 1).
        Assert.IsLessThan(10, first.Zip(second).Count(p => p.First == p.Second), "epochs give the same order");
        Assert.IsLessThan(10, first.Where((v, i) => v == i).Count(), "too many fixed points");
        // The first half of the positions should draw from both halves of the range about equally.
        int low = first.Take(n / 2).Count(v => v < n / 2);
        Assert.IsTrue(Math.Abs(low - n / 4) < 5 * Math.Sqrt(n / 16.0), $"{low} of {n / 2} from the lower half");
    }

    [TestMethod]
    public void Permutation_OfAnEmptyBuffer_Throws()
    {
        using var indices = Accelerator.Allocate<int>(0);
        var error = Assert.ThrowsExactly<ArgumentException>(() => Shuffle.Permutation(Accelerator, indices.View, 1, 1));
        StringAssert.Contains(error.Message, "Shuffle");
    }
}
