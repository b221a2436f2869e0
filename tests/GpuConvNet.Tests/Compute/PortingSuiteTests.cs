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
        var expected = input.Select((v, i) => v + 42 + 3 * i).ToArray();
        CollectionAssert.AreEqual(expected, FirstSteps.RunAddConstant(Accelerator, input, 42));
    }

    [TestMethod]
    public void Mandelbrot_CountsExactlyAsCSharp()
    {
        const int width = 96, height = 64;
        const float left = -2.1f, top = -1.2f, step = 0.0375f;
        var expected = new int[width * height];
        for (int index = 0; index < expected.Length; index++)
        {
            // The kernel's arithmetic, in the same order: C# does not fuse multiply-adds, nor may the devices here.
            float x0 = left + index % width * step;
            float y0 = top + index / width * step;
            float re = 0f, im = 0f;
            int n = 0;
            while (n < Mandelbrot.MaxIterations && re * re + im * im <= 4f)
            {
                float next = re * re - im * im + x0;
                im = 2f * re * im + y0;
                re = next;
                n++;
            }
            expected[index] = n;
        }
        CollectionAssert.AreEqual(expected, Mandelbrot.Render(Accelerator, width, height, left, top, step));
    }

    [TestMethod]
    [DataRow(1000, 64)]
    [DataRow(37, 16)]
    public void GroupSamples_Histogram_CountsEveryValue(int n, int groupSize)
    {
        var random = new Random(n);
        var values = Enumerable.Range(0, n).Select(_ => random.Next(0, 1000)).ToArray();
        var expected = Enumerable.Range(0, 8).Select(b => values.Count(v => v % 8 == b)).Append(n).ToArray();
        CollectionAssert.AreEqual(expected, GroupSamples.CountBins(Accelerator, values, groupSize));
    }

    [TestMethod]
    public void GroupSamples_Votes_EveryGroupAgrees()
    {
        const int groupSize = 32, groups = 5;
        var random = new Random(9);
        // Group 0 all positive; the rest mixed, some above 90.
        var values = Enumerable.Range(0, groups * groupSize).Select(k => k < groupSize ? random.Next(1, 50) : random.Next(-10, 100)).ToArray();
        var (facts, disagreements) = GroupSamples.Votes(Accelerator, values, groupSize);
        var expected = Enumerable.Range(0, groups).SelectMany(g =>
        {
            var group = values.Skip(g * groupSize).Take(groupSize).ToArray();
            return new[] { group.All(v => v > 0) ? 1 : 0, group.Any(v => v > 90) ? 1 : 0, group.Count(v => v % 2 == 0), group[^1] };
        }).ToArray();
        CollectionAssert.AreEqual(expected, facts);
        Assert.AreEqual(0, disagreements);
    }

    [TestMethod]
    [DataRow(3)]
    [DataRow(8)]
    public void SpecializedSample_WindowMax_MatchesTheLoop(int width)
    {
        var values = TestData.Uniform(257, seed: width);
        var expected = values.Select((_, i) => Enumerable.Range(i, width).Select(j => j < values.Length ? values[j] : float.NegativeInfinity).Max()).ToArray();
        CollectionAssert.AreEqual(expected, SpecializedSample.Run(Accelerator, values, width));
    }
}
