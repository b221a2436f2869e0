using GpuConvNet.Compute;
using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.ProofKernels.Porting;

namespace GpuConvNet.Tests.Compute;

/// <summary>
/// The porting suite's warp intrinsics and ILGPU.Algorithms reductions and scans (src/GpuConvNet.ProofKernels/Porting:
/// WarpSamples, ScanSamples), each against a plain C# loop, on every engine. Warps are as wide as the engine says
/// (32 on ours, ILGPU's own on its engines); group sizes are given in warps where a kernel shuffles, and include groups
/// of several warps, groups that are not a power of two and a last group that the data fills only in part.
/// </summary>
public abstract class WarpPortingSuiteTests : AcceleratorTest
{
    [TestMethod]
    [DataRow(2, 1000)]
    [DataRow(3, 37)]
    public void WarpSamples_WarpSum_MatchesTheLoop(int warpsPerGroup, int n)
    {
        SkipWhereIlgpuCannotShuffle();
        int groupSize = warpsPerGroup * Accelerator.WarpSize;
        var random = new Random(n);
        var values = Enumerable.Range(0, n).Select(_ => random.Next(-1000, 1000)).ToArray();
        CollectionAssert.AreEqual(WarpSamples.WarpSumsReference(values, groupSize, Accelerator.WarpSize), WarpSamples.WarpSums(Accelerator, values, groupSize));
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(3)]
    public void WarpSamples_EveryLane_ReadsWhatCudaRulesGive(int warpsPerGroup)
    {
        SkipWhereIlgpuCannotShuffle();
        int groupSize = warpsPerGroup * Accelerator.WarpSize;
        var random = new Random(warpsPerGroup);
        var values = Enumerable.Range(0, 2 * groupSize).Select(_ => random.Next()).ToArray();
        CollectionAssert.AreEqual(WarpSamples.SeenReference(values, groupSize, Accelerator.WarpSize), WarpSamples.Seen(Accelerator, values, groupSize));
    }

    [TestMethod]
    public void WarpSamples_PartialWarp_IsRefusedAtLaunch()
    {
        var values = new int[Accelerator.WarpSize + 1];
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => WarpSamples.WarpSums(Accelerator, values, Accelerator.WarpSize + 1));
        StringAssert.Contains(error.Message, "not a whole number of");
    }

    [TestMethod]
    [DataRow(1000, 64)]
    [DataRow(100, 40)]
    public void ScanSamples_GroupPrefixSums_MatchTheLoop(int n, int groupSize)
    {
        var random = new Random(n);
        var counts = Enumerable.Range(0, n).Select(_ => random.Next(0, 100)).ToArray();
        var (exclusive, inclusive) = ScanSamples.PrefixSums(Accelerator, counts, groupSize);
        var expected = ScanSamples.PrefixSumsReference(counts, groupSize);
        CollectionAssert.AreEqual(expected.Exclusive, exclusive, "exclusive");
        CollectionAssert.AreEqual(expected.Inclusive, inclusive, "inclusive");
    }

    [TestMethod]
    [DataRow(1000, 64)]
    [DataRow(100, 40)]
    public void ScanSamples_GroupStatistics_MatchTheLoop(int n, int groupSize)
    {
        var values = ScanSamples.SpreadMagnitudes(n, seed: n);
        var (sums, maxima, minima, running) = ScanSamples.GroupStatistics(Accelerator, values, groupSize);
        var expected = ScanSamples.GroupStatisticsReference(values, groupSize);
        // A float sum of m terms in any order is within (m − 1)·u·Σ|x| of the exact sum (u = 2⁻²⁴, the unit
        // roundoff); the engines add a group's m = groupSize terms (identities included) in different orders, ILGPU's
        // not ours, and values of magnitudes 10⁻³ … 10³ make the order show.
        for (int g = 0; g < sums.Length; g++)
        {
            double bound = (groupSize - 1) * Math.Pow(2, -24) * expected.AbsoluteSums[g];
            Assert.IsLessThanOrEqualTo(bound, Math.Abs(sums[g] - expected.Sums[g]), $"group {g}: sum {sums[g]:R}, exactly {expected.Sums[g]:R}");
        }
        // Max and min do not round: exact in any order.
        CollectionAssert.AreEqual(expected.Maxima, maxima, "maxima");
        CollectionAssert.AreEqual(expected.Minima, minima, "minima");
        CollectionAssert.AreEqual(expected.RunningMax, running, "running max");
    }

    [TestMethod]
    [DataRow(2, 1000)]
    [DataRow(3, 37)]
    public void ScanSamples_WarpStatistics_MatchTheLoop(int warpsPerGroup, int n)
    {
        SkipWhereIlgpuCannotShuffle();
        int groupSize = warpsPerGroup * Accelerator.WarpSize;
        var random = new Random(n);
        var counts = Enumerable.Range(0, n).Select(_ => random.Next(0, 100)).ToArray();
        var values = ScanSamples.SpreadMagnitudes(n, seed: n + 1);
        var actual = ScanSamples.WarpStatistics(Accelerator, counts, values, groupSize);
        var expected = ScanSamples.WarpStatisticsReference(counts, values, groupSize, Accelerator.WarpSize);
        CollectionAssert.AreEqual(expected.Sums, actual.Sums, "sums");
        CollectionAssert.AreEqual(expected.Maxima, actual.Maxima, "maxima");
        CollectionAssert.AreEqual(expected.Minima, actual.Minima, "minima");
        CollectionAssert.AreEqual(expected.Exclusive, actual.Exclusive, "exclusive sums");
        CollectionAssert.AreEqual(expected.RunningMax, actual.RunningMax, "running max");
    }

    /// <summary>ILGPU 1.5.3's OpenCL backend shuffles warps only with Intel's sub-groups (any other device: a compiler error).</summary>
    private void SkipWhereIlgpuCannotShuffle()
    {
        if (Accelerator.Engine.Id == "ilgpu-opencl")
        {
            Assert.Inconclusive("ILGPU's OpenCL backend has no warp shuffles (but Intel's sub-group ones): our own OpenCL engine runs this kernel");
        }
    }
}
