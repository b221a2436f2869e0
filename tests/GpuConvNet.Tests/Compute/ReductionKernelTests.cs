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

    [TestMethod]
    public void AtomicMix_EveryAtomic_MatchesTheSequentialResult()
    {
        const int n = 3001;
        var random = new Random(5);
        var values = Enumerable.Range(0, n).Select(_ => random.Next(-1_000_000, 1_000_000)).ToArray();
        using var dvalues = Accelerator.Allocate(values);
        using var results = Accelerator.Allocate(new[] { int.MaxValue, int.MinValue, 77, 0 });
        using var bits = Accelerator.Allocate(new[] { uint.MaxValue, 0u, 0u });
        using var olds = Accelerator.Allocate<int>(n);
        Accelerator.Launch(ReductionKernels.AtomicMix, new Index1D(n), dvalues.View, results.View, bits.View, olds.View);
        var r = results.ToArray();
        var b = bits.ToArray();
        Assert.AreEqual(values.Min(), r[0], "Atomic.Min");
        Assert.AreEqual(values.Max(), r[1], "Atomic.Max");
        Assert.AreEqual(values.Aggregate(uint.MaxValue, (a, v) => a & (uint)v), b[0], "Atomic.And");
        Assert.AreEqual(values.Aggregate(0u, (a, v) => a | (uint)v), b[1], "Atomic.Or");
        Assert.AreEqual(values.Aggregate(0u, (a, v) => a ^ (uint)v), b[2], "Atomic.Xor");
        Assert.AreEqual(n, r[3], "Atomic.CompareExchange: every lane's increment lands once");
        // Exchanges form one chain: what came out (the olds and the final value) is what went in (77 and the values).
        var outOf = olds.ToArray().Append(r[2]).Order().ToArray();
        var into = values.Append(77).Order().ToArray();
        CollectionAssert.AreEqual(into, outOf, "Atomic.Exchange lost or duplicated a value");
    }

    [TestMethod]
    [DataRow(4, 1, 1, 3, 1, 1)]
    [DataRow(8, 4, 1, 2, 3, 1)]
    [DataRow(4, 2, 2, 2, 1, 2)]
    public void GroupFacts_AsIlgpuNamesThem(int gx, int gy, int gz, int nx, int ny, int nz)
    {
        int lanes = gx * gy * gz;
        int groups = nx * ny * nz;
        using var facts = Accelerator.Allocate<int>(lanes * groups);
        Accelerator.Launch(ReductionKernels.GroupFacts, new KernelConfig(new Index3D(nx, ny, nz), new Index3D(gx, gy, gz)), facts.View);
        var expected = Enumerable.Range(0, groups * lanes).Select(k =>
        {
            int lane = k % lanes, group = k / lanes;
            int flags = (lane == 0 ? 1 : 0) + (lane == lanes - 1 ? 2 : 0) + 4;
            return lane + 1000 * group + 1_000_000 * flags;
        }).ToArray();
        CollectionAssert.AreEqual(expected, facts.ToArray());
    }

    [TestMethod]
    [DataRow(64, 1, 1, 3)]
    [DataRow(4, 2, 2, 5)]
    [DataRow(1, 1, 1, 2)]
    public void GroupVotes_EveryLaneSeesTheGroupsAnswer(int gx, int gy, int gz, int groups)
    {
        int lanes = gx * gy * gz;
        var random = new Random(lanes + groups);
        // Group 0 all positive (BarrierAnd true there); others mixed, some above 90 (BarrierOr).
        var values = Enumerable.Range(0, groups * lanes).Select(k => k < lanes ? random.Next(1, 60) : random.Next(-5, 100)).ToArray();
        var x = TestData.Uniform(groups * lanes, seed: groups);
        using var dvalues = Accelerator.Allocate(values);
        using var dx = Accelerator.Allocate(x);
        using var votes = Accelerator.Allocate<int>(4 * groups * lanes);
        using var broadcasts = Accelerator.Allocate<float>(groups * lanes);
        broadcasts.Fill(float.NaN);
        Accelerator.Launch(ReductionKernels.GroupVotes, new KernelConfig(new Index3D(groups, 1, 1), new Index3D(gx, gy, gz)),
            dvalues.View, dx.View, votes.View, broadcasts.View);
        var expected = new int[4 * groups * lanes];
        var expectedBroadcasts = new float[groups * lanes];
        for (int g = 0; g < groups; g++)
        {
            var group = values.Skip(g * lanes).Take(lanes).ToArray();
            int thirds = Enumerable.Range(0, 3).Sum(r => (r + 1) * group.Count(v => (v + r) % 3 == 0));
            for (int lane = 0; lane < lanes; lane++)
            {
                int i = g * lanes + lane;
                expected[4 * i] = group.All(v => v > 0) ? 1 : 0;
                expected[4 * i + 1] = group.Any(v => v > 90) ? 1 : 0;
                expected[4 * i + 2] = thirds;
                expected[4 * i + 3] = group[g * 7 % lanes];
                expectedBroadcasts[i] = x[g * lanes + lanes - 1];
            }
        }
        CollectionAssert.AreEqual(expected, votes.ToArray());
        CollectionAssert.AreEqual(expectedBroadcasts, broadcasts.ToArray());
    }

    [TestMethod]
    [DataRow(1, 32)]
    [DataRow(1000, 64)]
    public void SharedCounter_CountsEachGroupsOddValues(int n, int lanes)
    {
        var random = new Random(n);
        var values = Enumerable.Range(0, n).Select(_ => random.Next(-50, 50)).ToArray();
        int groups = KernelConfig.GroupsFor(n, lanes);
        using var dvalues = Accelerator.Allocate(values);
        using var counts = Accelerator.Allocate<int>(groups);
        counts.Fill(-1);
        Accelerator.Launch(ReductionKernels.SharedCounter, new KernelConfig(groups, lanes), dvalues.View, counts.View);
        var expected = Enumerable.Range(0, groups).Select(g => values.Skip(g * lanes).Take(lanes).Count(v => v % 2 != 0)).ToArray();
        CollectionAssert.AreEqual(expected, counts.ToArray());
    }
}
