using GpuConvNet.Compute;
using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.ProofKernels;

namespace GpuConvNet.Tests.Compute;

/// <summary>Shared memory, barriers and atomics on every backend.</summary>
public abstract class ReductionKernelTests : AcceleratorTest
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(256)]
    [DataRow(1000)]
    [DataRow(65_537)]
    public void GroupSum_MatchesReference(int n)
    {
        var x = TestData.Uniform(n, seed: n);
        using var dx = Accelerator.Allocate(x);
        using var total = Accelerator.Allocate<float>(1);
        total.Fill(0f);
        int groups = KernelConfig.GroupsFor(n, ReductionKernels.GroupSize);
        Accelerator.Launch(ReductionKernels.GroupSum, new KernelConfig(groups, ReductionKernels.GroupSize), dx.View, total.View);
        double expected = x.Sum(v => (double)v);
        // float partial sums of n terms in [-1, 1): error grows like ε·√n·|terms|; the order of group atomics varies.
        TestData.AssertClose([expected], total.ToArray(), 1e-5 * Math.Sqrt(n) + 1e-6, 1e-5, "sum");
    }

    [TestMethod]
    public void Histogram_CountsEveryValue()
    {
        const int n = 10_007;
        var random = new Random(5);
        var values = Enumerable.Range(0, n).Select(_ => random.Next(-2, 12)).ToArray();
        using var dvalues = Accelerator.Allocate(values);
        using var counts = Accelerator.Allocate<int>(10);
        counts.Fill(0);
        Accelerator.Launch(ReductionKernels.Histogram, new Index1D(n), dvalues.View, counts.View);
        var expected = Enumerable.Range(0, 10).Select(v => values.Count(x => x == v)).ToArray();
        CollectionAssert.AreEqual(expected, counts.ToArray());
    }
}
