using GpuConvNet.Compute;
using GpuConvNet.Compute.Oclgrind;
using GpuConvNet.ProofKernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Compute;

/// <summary>
/// Planted bugs that PoCL runs without a word (it executes a group's work-items in order between barriers): the
/// sanitizer engine must report each, naming the kernel and the work-item, and the error must carry Oclgrind's words.
/// </summary>
[TestClass]
public sealed class OclgrindFaultTests
{
    private static Accelerator Oclgrind => Backends.Get("oclgrind");

    [TestMethod]
    public void MissingBarrier_IsReportedAsADataRace()
    {
        using var x = Oclgrind.Allocate(Enumerable.Range(0, 64).Select(i => (float)i).ToArray());
        using var y = Oclgrind.Allocate<float>(64);
        var error = Assert.ThrowsExactly<KernelExecutionException>(() =>
            Oclgrind.Launch(FaultKernels.MissingBarrier, new KernelConfig(1, 64), x.View, y.View));
        StringAssert.Contains(error.Message, "kernel FaultKernels.MissingBarrier");
        StringAssert.Contains(error.Message, "Read-write data race at local memory");
        StringAssert.Contains(error.Message, "First entity:  Global(1,0,0) Local(1,0,0) Group(0,0,0)");
        StringAssert.Contains(error.Message, "shared[lane] = x[");
        StringAssert.Contains(error.Message, "more reports of this launch");
    }

    [TestMethod]
    public void ReadOnePastTheEnd_IsReportedAsAnInvalidRead()
    {
        using var x = Oclgrind.Allocate<float>(100);
        using var y = Oclgrind.Allocate<float>(100);
        x.Fill(1f);
        var error = Assert.ThrowsExactly<KernelExecutionException>(() =>
            Oclgrind.Launch(FaultKernels.ReadPastEnd, new Index1D(100), x.View, y.View));
        StringAssert.Contains(error.Message, "kernel FaultKernels.ReadPastEnd");
        StringAssert.Contains(error.Message, "Invalid read of size 4 at global memory");
        StringAssert.Contains(error.Message, "Entity: Global(99,0,0)");
        StringAssert.Contains(error.Message, "y[i_x] = x[(i_x + 1)];");
    }

    [TestMethod]
    public void LanesLeavingBeforeABarrier_IsReportedAsDivergence()
    {
        using var y = Oclgrind.Allocate<float>(32);
        var error = Assert.ThrowsExactly<KernelExecutionException>(() =>
            Oclgrind.Launch(FaultKernels.ReturnBeforeBarrier, new KernelConfig(1, 32), y.View, 3));
        StringAssert.Contains(error.Message, "kernel FaultKernels.ReturnBeforeBarrier");
        StringAssert.Contains(error.Message, "Work-group divergence detected (barrier)");
        StringAssert.Contains(error.Message, "Only 29 out of 32 work-items executed barrier");
    }

    [TestMethod]
    public void ReadingSharedMemoryNothingWrote_IsReportedByTheUninitialisedReplay()
    {
        // An accelerator of its own, recording into a folder of its own: the shared one's recordings are the run's.
        string directory = Path.Combine(Path.GetTempPath(), $"gpuconvnet-replay-test-{Guid.NewGuid():N}");
        using var oclgrind = (OclgrindAccelerator)Oclgrind.Device.Open();
        oclgrind.ReplayDirectory = directory;
        using var y = oclgrind.Allocate<float>(64);
        oclgrind.Launch(FaultKernels.ReadSharedBeforeWrite, new KernelConfig(1, 64), y.View);
        Assert.IsEmpty(oclgrind.Reports, "no race: the in-process checks see nothing wrong");
        var result = UninitialisedValueReplay.Run(directory, TimeSpan.FromSeconds(60));
        Assert.IsNotNull(result, "oclgrind-kernel is installed with Oclgrind");
        Assert.AreEqual(1, result.Replayed);
        StringAssert.Contains(result.Reports["FaultKernels_ReadSharedBeforeWrite"], "Uninitialized value");
    }

    [TestMethod]
    public void AWellFormedKernel_RunsWithoutAReport_AndTheReportsAreKept()
    {
        var oclgrind = (OclgrindAccelerator)Oclgrind;
        using var y = oclgrind.Allocate<float>(32);
        int before = oclgrind.Reports.Count;
        oclgrind.Launch(FaultKernels.ReturnBeforeBarrier, new KernelConfig(1, 32), y.View, 0);
        CollectionAssert.AreEqual(Enumerable.Repeat(1f, 32).ToArray(), y.ToArray());
        Assert.AreEqual(before, oclgrind.Reports.Count);
    }
}
