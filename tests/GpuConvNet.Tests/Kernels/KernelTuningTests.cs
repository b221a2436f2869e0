using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Kernels;

/// <summary>Per-device rankings: measured once, kept in the cache, read back, and measured again when the file is stale.</summary>
[TestClass]
public sealed class KernelTuningTests
{
    private static readonly MatMulVariant[] Candidates = [MatMulVariant.Naive, MatMulVariant.Tiled, MatMulVariant.VectorBlocked];

    [TestMethod]
    public void Ranking_ReadsAFileThatRanksEveryCandidate_AndMeasuresWhenItDoesNot()
    {
        using var dir = new GpuConvNet.Tests.Data.TempDirectory();
        var cpu = Backends.Get("cpu");
        string key = KernelTuning.Key(cpu.Device);
        string saved = KernelTuning.CacheDirectory ?? "";
        KernelTuning.CacheDirectory = dir.Path;
        try
        {
            int measured = 0;
            IReadOnlyDictionary<MatMulVariant, double> Rates(Accelerator _)
            {
                measured++;
                return new Dictionary<MatMulVariant, double> { [MatMulVariant.Naive] = 1, [MatMulVariant.Tiled] = 3, [MatMulVariant.VectorBlocked] = 2 };
            }

            // Kept by an earlier run: read, not measured.
            string kept = "kept-" + Guid.NewGuid().ToString("N");
            File.WriteAllText(KernelTuning.PathOf(dir.Path, kept, key), $"VectorBlocked Naive Tiled\n{key}\n");
            CollectionAssert.AreEqual(new[] { MatMulVariant.VectorBlocked, MatMulVariant.Naive, MatMulVariant.Tiled },
                KernelTuning.Ranking(cpu, kept, Candidates, Rates).ToArray());
            Assert.AreEqual(0, measured, "a file that ranks every candidate is believed");

            // Written before a variant existed (one name), or for another driver: measured again and rewritten.
            string stale = "stale-" + Guid.NewGuid().ToString("N");
            File.WriteAllText(KernelTuning.PathOf(dir.Path, stale, key), $"VectorBlocked\n{key}\n");
            CollectionAssert.AreEqual(new[] { MatMulVariant.Tiled, MatMulVariant.VectorBlocked, MatMulVariant.Naive },
                KernelTuning.Ranking(cpu, stale, Candidates, Rates).ToArray());
            Assert.AreEqual(1, measured);
            StringAssert.StartsWith(File.ReadAllText(KernelTuning.PathOf(dir.Path, stale, key)), "Tiled VectorBlocked Naive\n");
            string otherDriver = "driver-" + Guid.NewGuid().ToString("N");
            File.WriteAllText(KernelTuning.PathOf(dir.Path, otherDriver, key), "VectorBlocked Naive Tiled\nsome other device | driver 1\n");
            KernelTuning.Ranking(cpu, otherDriver, Candidates, Rates);
            Assert.AreEqual(2, measured, "a file of another device or driver is not believed");

            // Remembered for the process: no second measurement, whatever the file says now.
            File.Delete(KernelTuning.PathOf(dir.Path, stale, key));
            KernelTuning.Ranking(cpu, stale, Candidates, Rates);
            Assert.AreEqual(2, measured);
        }
        finally
        {
            KernelTuning.CacheDirectory = saved.Length == 0 ? null : saved;
        }
    }

    [TestMethod]
    public void Conv2DTuning_RatesBothDirectForwards_AndAutoTakesTheFasterOnOpenCL()
    {
        var openCL = Backends.Get("opencl");
        var rates = Conv2DTuning.Rates(openCL);
        CollectionAssert.AreEquivalent(Conv2DTuning.Candidates.ToArray(), rates.Keys.ToArray());
        Assert.IsTrue(rates.Values.All(rate => rate > 0), "both ran");
        var ranking = Conv2DTuning.Remeasure(openCL);
        Assert.AreEqual(ranking[0], Conv2DTuning.Fastest(openCL));
        var shape = new Conv2DShape(2, 16, 6, 6, 8, 3, 3, 1, 1);
        var expected = openCL.Device.Type == DeviceType.Gpu ? Conv2DAlgorithm.Im2ColGemm : ranking[0];
        Assert.AreEqual(expected, Conv2D.Resolve(openCL, shape, Conv2DPass.Forward, Conv2DAlgorithm.Auto), "Auto on an OpenCL CPU: the faster direct forward");
        var cpu = Backends.Get("cpu");
        Assert.AreEqual(Conv2DAlgorithm.Direct, Conv2D.Resolve(cpu, shape, Conv2DPass.Forward, Conv2DAlgorithm.Auto), "the CPU accelerator is not tuned");
    }
}
