using GpuConvNet.ProofKernels.Porting;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

[assembly: Parallelize(Workers = 1, Scope = ExecutionScope.ClassLevel)]

namespace GpuConvNet.Porting.IlgpuTests;

/// <summary>
/// The porting suite compiled by ILGPU and run on its CPU accelerator, against the plain C# loops its files carry:
/// what GpuConvNet.Tests' PortingSuiteTests check on our engines, here for ILGPU itself.
/// </summary>
[TestClass]
public sealed class PortingOnIlgpuTests
{
    // The largest group ILGPU's default CPU device runs (ILGPU's own limit, not ours).
    private const int GroupSize = 16;

    // ILGPU's default CPU device emulates warps of 4 lanes (ours are 32): the warp samples read the width from
    // accelerator.WarpSize, and their references take it.
    private const int WarpSize = 4;

    private static Context? context;
    private static Accelerator? accelerator;

    private static Accelerator Cpu => accelerator!;

    [ClassInitialize]
    public static void Open(TestContext _)
    {
        context = Context.Create(builder => builder.CPU().EnableAlgorithms());
        accelerator = context.CreateCPUAccelerator(0);
    }

    [ClassCleanup]
    public static void Close()
    {
        accelerator?.Dispose();
        context?.Dispose();
    }

    [TestMethod]
    public void FirstSteps_AddConstant_MatchesTheLoop()
    {
        var input = Enumerable.Range(0, 1000).Select(i => i * 7 - 300).ToArray();
        CollectionAssert.AreEqual(FirstSteps.Reference(input, 42), FirstSteps.RunAddConstant(Cpu, input, 42));
    }

    [TestMethod]
    public void Mandelbrot_CountsExactlyAsCSharp() =>
        CollectionAssert.AreEqual(Mandelbrot.Reference(48, 32, -2.1f, -1.2f, 0.075f), Mandelbrot.Render(Cpu, 48, 32, -2.1f, -1.2f, 0.075f));

    [TestMethod]
    public void GroupSamples_Histogram_CountsEveryValue()
    {
        var random = new Random(1000);
        var values = Enumerable.Range(0, 1000).Select(_ => random.Next(0, 1000)).ToArray();
        CollectionAssert.AreEqual(GroupSamples.CountBinsReference(values), GroupSamples.CountBins(Cpu, values, GroupSize));
    }

    [TestMethod]
    public void GroupSamples_Votes_EveryGroupAgrees()
    {
        var random = new Random(9);
        var values = Enumerable.Range(0, 5 * GroupSize).Select(k => k < GroupSize ? random.Next(1, 50) : random.Next(-10, 100)).ToArray();
        var (facts, disagreements) = GroupSamples.Votes(Cpu, values, GroupSize);
        CollectionAssert.AreEqual(GroupSamples.VotesReference(values, GroupSize), facts);
        Assert.AreEqual(0, disagreements);
    }

    [TestMethod]
    public void SpecializedSample_WindowMax_MatchesTheLoop()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 257).Select(_ => (float)random.NextDouble() * 2f - 1f).ToArray();
        CollectionAssert.AreEqual(SpecializedSample.Reference(values, 5), SpecializedSample.Run(Cpu, values, 5));
    }

    [TestMethod]
    public void MatrixSamples_Multiply_MatchesTheLoop()
    {
        var random = new Random(4);
        var a = new float[5, 3];
        var b = new float[3, 7];
        foreach (var matrix in new[] { a, b })
        {
            for (int x = 0; x < matrix.GetLength(0); x++)
            {
                for (int y = 0; y < matrix.GetLength(1); y++)
                {
                    matrix[x, y] = (float)random.NextDouble() * 2f - 1f;
                }
            }
        }
        CollectionAssert.AreEqual(MatrixSamples.MultiplyReference(a, b), MatrixSamples.Multiply(Cpu, a, b));
    }

    [TestMethod]
    public void MatrixSamples_YDenseView_KeepsItsLayout()
    {
        var input = new int[4, 3];
        var doubled = new int[4, 3];
        for (int x = 0; x < 4; x++)
        {
            for (int y = 0; y < 3; y++)
            {
                input[x, y] = 10 * x + y;
                doubled[x, y] = 2 * input[x, y];
            }
        }
        CollectionAssert.AreEqual(doubled, MatrixSamples.DoubleIntoColumns(Cpu, input));
    }

    [TestMethod]
    public void CpuAccelerator_WarpsAreFourLanes() => Assert.AreEqual(WarpSize, Cpu.WarpSize);

    [TestMethod]
    [DataRow(2, 1000)]
    [DataRow(3, 37)]
    public void WarpSamples_WarpSum_MatchesTheLoop(int warpsPerGroup, int n)
    {
        var random = new Random(n);
        var values = Enumerable.Range(0, n).Select(_ => random.Next(-1000, 1000)).ToArray();
        int groupSize = warpsPerGroup * WarpSize;
        CollectionAssert.AreEqual(WarpSamples.WarpSumsReference(values, groupSize, WarpSize), WarpSamples.WarpSums(Cpu, values, groupSize));
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(3)]
    public void WarpSamples_EveryLane_ReadsWhatCudaRulesGive(int warpsPerGroup)
    {
        int groupSize = warpsPerGroup * WarpSize;
        var random = new Random(warpsPerGroup);
        var values = Enumerable.Range(0, 2 * groupSize).Select(_ => random.Next()).ToArray();
        CollectionAssert.AreEqual(WarpSamples.SeenReference(values, groupSize, WarpSize), WarpSamples.Seen(Cpu, values, groupSize));
    }

    [TestMethod]
    [DataRow(1000, GroupSize)]
    [DataRow(100, 12)]
    public void ScanSamples_GroupPrefixSums_MatchTheLoop(int n, int groupSize)
    {
        var random = new Random(n);
        var counts = Enumerable.Range(0, n).Select(_ => random.Next(0, 100)).ToArray();
        var (exclusive, inclusive) = ScanSamples.PrefixSums(Cpu, counts, groupSize);
        var expected = ScanSamples.PrefixSumsReference(counts, groupSize);
        CollectionAssert.AreEqual(expected.Exclusive, exclusive, "exclusive");
        CollectionAssert.AreEqual(expected.Inclusive, inclusive, "inclusive");
    }

    [TestMethod]
    [DataRow(1000, GroupSize)]
    [DataRow(100, 12)]
    public void ScanSamples_GroupStatistics_MatchTheLoop(int n, int groupSize)
    {
        var values = ScanSamples.SpreadMagnitudes(n, seed: n);
        var (sums, maxima, minima, running) = ScanSamples.GroupStatistics(Cpu, values, groupSize);
        var expected = ScanSamples.GroupStatisticsReference(values, groupSize);
        // A float sum of m terms in any order is within (m − 1)·u·Σ|x| of the exact sum (u = 2⁻²⁴); ILGPU adds a
        // group's m = groupSize terms in an order of its own.
        for (int g = 0; g < sums.Length; g++)
        {
            double bound = (groupSize - 1) * Math.Pow(2, -24) * expected.AbsoluteSums[g];
            Assert.IsLessThanOrEqualTo(bound, Math.Abs(sums[g] - expected.Sums[g]), $"group {g}: sum {sums[g]:R}, exactly {expected.Sums[g]:R}");
        }
        CollectionAssert.AreEqual(expected.Maxima, maxima, "maxima");
        CollectionAssert.AreEqual(expected.Minima, minima, "minima");
        CollectionAssert.AreEqual(expected.RunningMax, running, "running max");
    }

    [TestMethod]
    [DataRow(2, 1000)]
    [DataRow(3, 37)]
    public void ScanSamples_WarpStatistics_MatchTheLoop(int warpsPerGroup, int n)
    {
        var random = new Random(n);
        var counts = Enumerable.Range(0, n).Select(_ => random.Next(0, 100)).ToArray();
        var values = ScanSamples.SpreadMagnitudes(n, seed: n + 1);
        var actual = ScanSamples.WarpStatistics(Cpu, counts, values, warpsPerGroup * WarpSize);
        var expected = ScanSamples.WarpStatisticsReference(counts, values, warpsPerGroup * WarpSize, WarpSize);
        CollectionAssert.AreEqual(expected.Sums, actual.Sums, "sums");
        CollectionAssert.AreEqual(expected.Maxima, actual.Maxima, "maxima");
        CollectionAssert.AreEqual(expected.Minima, actual.Minima, "minima");
        CollectionAssert.AreEqual(expected.Exclusive, actual.Exclusive, "exclusive sums");
        CollectionAssert.AreEqual(expected.RunningMax, actual.RunningMax, "running max");
    }

    [TestMethod]
    public void VolumeSamples_XYAndZYDenseViews_KeepTheirLayouts()
    {
        var random = new Random(5);
        var input = new int[5, 3, 7];
        for (int x = 0; x < 5; x++)
        {
            for (int y = 0; y < 3; y++)
            {
                for (int z = 0; z < 7; z++)
                {
                    input[x, y, z] = random.Next(-500, 500);
                }
            }
        }
        var (result, columns) = VolumeSamples.Run(Cpu, input);
        var (expected, expectedColumns) = VolumeSamples.Reference(input);
        CollectionAssert.AreEqual(expected, result);
        CollectionAssert.AreEqual(expectedColumns, columns, "ILGPU's Z-dense layout is the one the reference writes out");
    }

    [TestMethod]
    public void VolumeSamples_MirrorBlocks_ThroughA3DSharedTile()
    {
        var input = new int[5, 3, 7];
        for (int x = 0; x < 5; x++)
        {
            for (int y = 0; y < 3; y++)
            {
                for (int z = 0; z < 7; z++)
                {
                    input[x, y, z] = 100 * x + 10 * y + z;
                }
            }
        }
        CollectionAssert.AreEqual(VolumeSamples.MirrorReference(input), VolumeSamples.Mirror(Cpu, input));
    }

    [TestMethod]
    public void TiledMatrixSamples_Multiply_MatchesTheLoop()
    {
        var random = new Random(6);
        var a = new float[5, 7];
        var b = new float[7, 6];
        foreach (var matrix in new[] { a, b })
        {
            for (int x = 0; x < matrix.GetLength(0); x++)
            {
                for (int y = 0; y < matrix.GetLength(1); y++)
                {
                    matrix[x, y] = (float)random.NextDouble() * 2f - 1f;
                }
            }
        }
        CollectionAssert.AreEqual(MatrixSamples.MultiplyReference(a, b), TiledMatrixSamples.Multiply(Cpu, a, b));
    }

    [TestMethod]
    public void TiledMatrixSamples_BlockOfAView_KeepsItsOffset()
    {
        var input = new int[7, 5];
        for (int x = 0; x < 7; x++)
        {
            for (int y = 0; y < 5; y++)
            {
                input[x, y] = 10 * x + y;
            }
        }
        CollectionAssert.AreEqual(TiledMatrixSamples.BlockReference(input, 2, 1, 4, 3), TiledMatrixSamples.Block(Cpu, input, 2, 1, 4, 3));
    }

    [TestMethod]
    public void DynamicSharedSample_ReversesEachGroup()
    {
        var values = Enumerable.Range(0, 37).Select(i => i * 3 + 1).ToArray();
        var (reversed, lengths) = DynamicSharedSample.Run(Cpu, values, GroupSize, 20);
        var (expected, expectedLengths) = DynamicSharedSample.Reference(values, GroupSize, 20);
        CollectionAssert.AreEqual(expected, reversed);
        CollectionAssert.AreEqual(expectedLengths, lengths);
    }
}
