using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.ProofKernels.Porting;

namespace GpuConvNet.Tests.Compute;

/// <summary>
/// Kernels and host code in ILGPU's idiom (src/GpuConvNet.ProofKernels/Porting), each against a plain C# loop, on
/// every engine.
/// </summary>
public abstract class PortingSuiteTests : AcceleratorTest
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(1000)]
    public void FirstSteps_AddConstant_MatchesTheLoop(int n)
    {
        var input = Enumerable.Range(0, n).Select(i => i * 7 - 300).ToArray();
        CollectionAssert.AreEqual(FirstSteps.Reference(input, 42), FirstSteps.RunAddConstant(Accelerator, input, 42));
    }

    [TestMethod]
    public void Mandelbrot_CountsExactlyAsCSharp() =>
        CollectionAssert.AreEqual(Mandelbrot.Reference(96, 64, -2.1f, -1.2f, 0.0375f), Mandelbrot.Render(Accelerator, 96, 64, -2.1f, -1.2f, 0.0375f));

    [TestMethod]
    [DataRow(1000, 64)]
    [DataRow(37, 16)]
    public void GroupSamples_Histogram_CountsEveryValue(int n, int groupSize)
    {
        var random = new Random(n);
        var values = Enumerable.Range(0, n).Select(_ => random.Next(0, 1000)).ToArray();
        CollectionAssert.AreEqual(GroupSamples.CountBinsReference(values), GroupSamples.CountBins(Accelerator, values, groupSize));
    }

    [TestMethod]
    public void GroupSamples_Votes_EveryGroupAgrees()
    {
        const int groupSize = 32, groups = 5;
        var random = new Random(9);
        // Group 0 all positive; the rest mixed, some above 90.
        var values = Enumerable.Range(0, groups * groupSize).Select(k => k < groupSize ? random.Next(1, 50) : random.Next(-10, 100)).ToArray();
        var (facts, disagreements) = GroupSamples.Votes(Accelerator, values, groupSize);
        CollectionAssert.AreEqual(GroupSamples.VotesReference(values, groupSize), facts);
        Assert.AreEqual(0, disagreements);
    }

    [TestMethod]
    [DataRow(3)]
    [DataRow(8)]
    public void SpecializedSample_WindowMax_MatchesTheLoop(int width)
    {
        var values = TestData.Uniform(257, seed: width);
        CollectionAssert.AreEqual(SpecializedSample.Reference(values, width), SpecializedSample.Run(Accelerator, values, width));
    }
}
