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
        InCache((dir, cpu, key) =>
        {
            int measured = 0;
            IReadOnlyDictionary<MatMulVariant, double> Rates(Accelerator _)
            {
                measured++;
                return new Dictionary<MatMulVariant, double> { [MatMulVariant.Naive] = 1, [MatMulVariant.Tiled] = 3, [MatMulVariant.VectorBlocked] = 2 };
            }

            // Kept by an earlier run: read, not measured.
            string kept = "kept-" + Guid.NewGuid().ToString("N");
            File.WriteAllText(KernelTuning.PathOf(dir, kept, key), $"VectorBlocked Naive Tiled\n{key}\n");
            CollectionAssert.AreEqual(new[] { MatMulVariant.VectorBlocked, MatMulVariant.Naive, MatMulVariant.Tiled },
                KernelTuning.Ranking(cpu, kept, Candidates, Rates).ToArray());
            Assert.AreEqual(0, measured, "a file that ranks every candidate is believed");

            // Written before a variant existed (one name), or for another driver: measured again and rewritten.
            string stale = "stale-" + Guid.NewGuid().ToString("N");
            File.WriteAllText(KernelTuning.PathOf(dir, stale, key), $"VectorBlocked\n{key}\n");
            CollectionAssert.AreEqual(new[] { MatMulVariant.Tiled, MatMulVariant.VectorBlocked, MatMulVariant.Naive },
                KernelTuning.Ranking(cpu, stale, Candidates, Rates).ToArray());
            Assert.AreEqual(KernelTuning.Measurements, measured, "one measurement is three races");
            StringAssert.StartsWith(File.ReadAllText(KernelTuning.PathOf(dir, stale, key)), "Tiled VectorBlocked Naive\n");
            StringAssert.EndsWith(File.ReadAllText(KernelTuning.PathOf(dir, stale, key)), "\nsettled\n", "the same winner every race: settled");
            string otherDriver = "driver-" + Guid.NewGuid().ToString("N");
            File.WriteAllText(KernelTuning.PathOf(dir, otherDriver, key), "VectorBlocked Naive Tiled\nsome other device | driver 1\n");
            KernelTuning.Ranking(cpu, otherDriver, Candidates, Rates);
            Assert.AreEqual(2 * KernelTuning.Measurements, measured, "a file of another device or driver is not believed");

            // Remembered for the process: no second measurement, whatever the file says now.
            File.Delete(KernelTuning.PathOf(dir, stale, key));
            KernelTuning.Ranking(cpu, stale, Candidates, Rates);
            Assert.AreEqual(2 * KernelTuning.Measurements, measured);
        });
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

    [TestMethod]
    public void BatchNormTuning_RatesBothVariants_AndAutoTakesTheFasterWhereTheEngineCompiles()
    {
        var openCL = Backends.Get("opencl");
        var rates = BatchNormTuning.Rates(openCL);
        CollectionAssert.AreEquivalent(BatchNormTuning.Candidates.ToArray(), rates.Keys.ToArray());
        Assert.IsTrue(rates.Values.All(rate => rate > 0), "both ran");
        var ranking = BatchNormTuning.Tune(openCL).Ranking;
        Assert.AreEqual(ranking[0], BatchNormTuning.Fastest(openCL));
        var planes = new BatchNormShape(4, 3, 25);
        using var partials = openCL.Allocate<float>(2 * 4 * 3);
        Assert.AreEqual(ranking[0], BatchNorm.Resolve(openCL, planes, partials.View, BatchNormVariant.Auto), "Auto with partials: the faster here");
        Assert.AreEqual(BatchNormVariant.PerChannel, BatchNorm.Resolve(openCL, planes, default, BatchNormVariant.Auto), "nowhere to put partials");
        Assert.AreEqual(BatchNormVariant.PerChannel, BatchNorm.Resolve(openCL, planes with { Space = 1 }, partials.View, BatchNormVariant.Auto),
            "one value per plane: nothing to split");
        var cpu = Backends.Get("cpu");
        using var cpuPartials = cpu.Allocate<float>(2 * 4 * 3);
        Assert.AreEqual(BatchNormVariant.PerChannel, BatchNorm.Resolve(cpu, planes, cpuPartials.View, BatchNormVariant.Auto), "the CPU accelerator is not tuned");
    }

    [TestMethod]
    public void MaxPoolTuning_RatesEveryVariant_AndAutoTakesTheFastestThatAppliesToTheShape()
    {
        var openCL = Backends.Get("opencl");
        var forward = MaxPoolTuning.TuneForward(openCL);
        var backward = MaxPoolTuning.TuneBackward(openCL);
        CollectionAssert.AreEquivalent(MaxPoolTuning.ForwardCandidates.ToArray(), forward.Ranking.ToArray());
        CollectionAssert.AreEquivalent(MaxPoolTuning.BackwardCandidates.ToArray(), backward.Ranking.ToArray());
        Assert.IsTrue(forward.MedianRates.Values.Concat(backward.MedianRates.Values).All(rate => rate > 0), "every variant ran");

        var whole = Pool2DShape.Square(2, 3, 8, 8, 2, 2);
        Assert.AreEqual(forward.Ranking[0], MaxPool.Resolve(openCL, whole, MaxPoolForwardVariant.Auto));
        Assert.AreEqual(backward.Ranking[0], MaxPool.Resolve(openCL, whole, MaxPoolBackwardVariant.Auto));
        var cells = Pool2DShape.Square(2, 3, 9, 9, 3, 3);
        Assert.AreEqual(MaxPoolForwardVariant.General, MaxPool.Resolve(openCL, cells, MaxPoolForwardVariant.Auto), "3×3 windows: only the general forward");
        Assert.AreEqual(backward.Ranking.First(v => v != MaxPoolBackwardVariant.Window2x2), MaxPool.Resolve(openCL, cells, MaxPoolBackwardVariant.Auto),
            "disjoint 3×3 cells: the faster of gather and disjoint");
        var overlapping = Pool2DShape.Square(2, 3, 9, 9, 3, 2);
        Assert.AreEqual(MaxPoolBackwardVariant.Gather, MaxPool.Resolve(openCL, overlapping, MaxPoolBackwardVariant.Auto), "overlapping windows: only gather");
        var cpu = Backends.Get("cpu");
        Assert.AreEqual(MaxPoolBackwardVariant.Window2x2, MaxPool.Resolve(cpu, whole, MaxPoolBackwardVariant.Auto), "the CPU accelerator is not tuned");
        Assert.AreEqual(MaxPoolBackwardVariant.Disjoint, MaxPool.Resolve(cpu, cells, MaxPoolBackwardVariant.Auto));
    }

    [TestMethod]
    public void AChoiceTheRacesDisagreeOn_IsProvisional_UntilItsRunsAddUp()
    {
        InCache((dir, cpu, key) =>
        {
            // A busy machine: Tiled wins two races of three by a little, VectorBlocked one by a lot; Naive is slow.
            int race = 0;
            IReadOnlyDictionary<MatMulVariant, double> Noisy(Accelerator _) => (race++ % 3) switch
            {
                0 => new Dictionary<MatMulVariant, double> { [MatMulVariant.Naive] = 1, [MatMulVariant.Tiled] = 10, [MatMulVariant.VectorBlocked] = 9 },
                1 => new Dictionary<MatMulVariant, double> { [MatMulVariant.Naive] = 1, [MatMulVariant.Tiled] = 10, [MatMulVariant.VectorBlocked] = 9.5 },
                _ => new Dictionary<MatMulVariant, double> { [MatMulVariant.Naive] = 1, [MatMulVariant.Tiled] = 7, [MatMulVariant.VectorBlocked] = 12 },
            };

            string op = "noisy-" + Guid.NewGuid().ToString("N");
            string path = KernelTuning.PathOf(dir, op, key);
            var first = KernelTuning.Ranking(cpu, op, Candidates, Noisy);
            Assert.AreEqual(MatMulVariant.Tiled, first[0], "the median's winner is used now");
            StringAssert.Contains(File.ReadAllText(path), "\nprovisional 1: ", "but kept as provisional");

            // A later run (another op name stands for a fresh process) that finds the second provisional measurement.
            string later = "later-" + Guid.NewGuid().ToString("N");
            File.WriteAllText(KernelTuning.PathOf(dir, later, key),
                $"Tiled VectorBlocked Naive\n{key}\nNaive 1, Tiled 10, VectorBlocked 9.5\nprovisional 2: Naive 2, Tiled 14, VectorBlocked 22\n");
            race = 0;
            var settled = KernelTuning.Ranking(cpu, later, Candidates, Noisy);
            Assert.AreEqual(3, race, "a provisional file is measured again");
            // Third provisional run: equal within noise, the summed medians decide (VectorBlocked 31.5 > Tiled 24) for good.
            Assert.AreEqual(MatMulVariant.VectorBlocked, settled[0]);
            StringAssert.EndsWith(File.ReadAllText(KernelTuning.PathOf(dir, later, key)), "\nsettled\n");
        });
    }

    // Runs body with the rankings kept in a fresh folder (dir), on the CPU accelerator (cpu, whose device key is key).
    private static void InCache(Action<string, Accelerator, string> body)
    {
        using var dir = new GpuConvNet.Tests.Data.TempDirectory();
        var cpu = Backends.Get("cpu");
        string? saved = KernelTuning.CacheDirectory;
        KernelTuning.CacheDirectory = dir.Path;
        try
        {
            body(dir.Path, cpu, KernelTuning.Key(cpu.Device));
        }
        finally
        {
            KernelTuning.CacheDirectory = saved;
        }
    }
}
