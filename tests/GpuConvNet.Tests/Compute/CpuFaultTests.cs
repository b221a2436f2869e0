using GpuConvNet.Compute;
using GpuConvNet.Compute.Cpu;
using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.ProofKernels;

namespace GpuConvNet.Tests.Compute;

/// <summary>The CPU accelerator as a debugger: bounds checks and barrier divergence are reported, not corrupted.</summary>
[TestClass]
public sealed class CpuFaultTests
{
    private static Accelerator Cpu => Backends.Get("cpu");

    [TestMethod]
    public void OutOfBoundsRead_InAnIndexKernel_NamesKernelAndIndex()
    {
        using var x = Cpu.Allocate<float>(100);
        using var y = Cpu.Allocate<float>(100);
        var error = Assert.ThrowsExactly<KernelExecutionException>(() =>
            Cpu.Launch(FaultKernels.ReadPastEnd, new Index1D(100), x.View, y.View));
        StringAssert.Contains(error.Message, "FaultKernels.ReadPastEnd");
        StringAssert.Contains(error.Message, "index (99, 0, 0)");
        StringAssert.Contains(error.Message, "index 100 is outside the view's bounds [0, 100)");
    }

    [TestMethod]
    public void OutOfBoundsWrite_InAGroupedKernel_NamesGroupAndLane()
    {
        using var y = Cpu.Allocate<float>(4 * 32);
        var error = Assert.ThrowsExactly<KernelExecutionException>(() =>
            Cpu.Launch(FaultKernels.WritePastEndInGroup, new KernelConfig(4, 32), y.View, 2, 7));
        StringAssert.Contains(error.Message, "FaultKernels.WritePastEndInGroup");
        StringAssert.Contains(error.Message, "group (2, 0, 0), lane (7, 0, 0)");
    }

    [TestMethod]
    public void LanesLeavingBeforeABarrier_IsReportedAsDivergence()
    {
        using var y = Cpu.Allocate<float>(32);
        var error = Assert.ThrowsExactly<KernelExecutionException>(() =>
            Cpu.Launch(FaultKernels.ReturnBeforeBarrier, new KernelConfig(1, 32), y.View, 3));
        StringAssert.Contains(error.Message, "barrier divergence");
        StringAssert.Contains(error.Message, "left the kernel");
        StringAssert.Contains(error.Message, "line 33");
    }

    [TestMethod]
    public void LanesAtDifferentBarriers_IsReportedAsDivergence()
    {
        using var y = Cpu.Allocate<float>(32);
        var error = Assert.ThrowsExactly<KernelExecutionException>(() =>
            Cpu.Launch(FaultKernels.SplitBarriers, new KernelConfig(1, 32), y.View));
        StringAssert.Contains(error.Message, "barrier divergence");
        StringAssert.Contains(error.Message, "line 43");
        StringAssert.Contains(error.Message, "line 47");
    }

    [TestMethod]
    public void WellFormedKernel_WhoseLanesAllLeaveTogether_IsNotDivergent()
    {
        using var y = Cpu.Allocate<float>(32);
        Cpu.Launch(FaultKernels.ReturnBeforeBarrier, new KernelConfig(1, 32), y.View, 0);
        Assert.IsTrue(y.ToArray().All(v => v == 1f));
    }

    [TestMethod]
    public void SharedMemory_StartsAsNaN_SoReadsBeforeWritesShow()
    {
        var group = new CpuGroup(new Index3D(1, 1, 1), new Index3D(1, 1, 1));
        var shared = group.Shared<float>(4, site: 1);
        shared[0] = 5f;
        group.Begin(new Index3D(0, 0, 0));
        Assert.IsTrue(float.IsNaN(group.Shared<float>(4, site: 1)[0]));
    }

    [TestMethod]
    public void EmptyView_AnyIndex_IsOutOfBounds()
    {
        var view = default(ArrayView<float>);
        Assert.ThrowsExactly<ArrayViewIndexException>(() => view[0]);
    }
}
