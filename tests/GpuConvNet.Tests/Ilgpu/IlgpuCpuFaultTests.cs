using System.Reflection;
using GpuConvNet.Compute;
using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.ProofKernels;

namespace GpuConvNet.Tests.Ilgpu;

/// <summary>
/// ILGPU's CPU accelerator ends the process on an out-of-bounds access (Trace.Assert on a lane thread); through our
/// engine the launch throws instead, naming the kernel and ILGPU's message, and the accelerator stays usable.
/// </summary>
[TestClass]
[TestCategory("Ilgpu")]
public sealed class IlgpuCpuFaultTests
{
    private static Accelerator IlgpuCpu => Backends.Get("ilgpu-cpu");

    [TestMethod]
    public void OutOfBoundsRead_InAnIndexKernel_NamesKernelAndIlgpusMessage()
    {
        using var x = IlgpuCpu.Allocate<float>(100);
        using var y = IlgpuCpu.Allocate<float>(100);
        var error = Assert.ThrowsExactly<KernelExecutionException>(() =>
            IlgpuCpu.Launch(FaultKernels.ReadPastEnd, new Index1D(100), x.View, y.View));
        StringAssert.Contains(error.Message, "kernel FaultKernels.ReadPastEnd failed on ILGPU CPU accelerator");
        StringAssert.Contains(error.Message, "Index out of range");
        AssertStillWorks();
    }

    [TestMethod]
    public void OutOfBoundsWrite_InAGroupedKernel_IsReported()
    {
        using var y = IlgpuCpu.Allocate<float>(4 * 32);
        var error = Assert.ThrowsExactly<KernelExecutionException>(() =>
            IlgpuCpu.Launch(FaultKernels.WritePastEndInGroup, new KernelConfig(4, 32), y.View, 2, 7));
        StringAssert.Contains(error.Message, "kernel FaultKernels.WritePastEndInGroup failed on ILGPU CPU accelerator");
        StringAssert.Contains(error.Message, "Index out of range");
        AssertStillWorks();
    }

    [TestMethod]
    public void AKernelWithoutTwin_SaysWhy()
    {
        KernelRegistry.Register(new KernelDefinition(((Action<Index1D, ArrayView<float>>)NoTwin).Method, 1,
            [new KernelParameter("y", KernelParameterKind.View, typeof(float))], "NoTwin", new Dictionary<string, string>(), null, null));
        using var y = IlgpuCpu.Allocate<float>(4);
        var error = Assert.ThrowsExactly<KernelCompilationException>(() => IlgpuCpu.Launch(NoTwin, new Index1D(4), y.View));
        StringAssert.Contains(error.Message, "kernel IlgpuCpuFaultTests.NoTwin: it has no ILGPU twin");
    }

    [TestMethod]
    public void ATwinIlgpuRejects_NamesKernelAndIlgpusMessage()
    {
        var twin = typeof(IlgpuCpuFaultTests).GetMethod(nameof(RejectedTwin), BindingFlags.NonPublic | BindingFlags.Static)!;
        KernelRegistry.Register(new KernelDefinition(((Action<Index1D, ArrayView<float>>)Rejected).Method, 1,
            [new KernelParameter("y", KernelParameterKind.View, typeof(float))], "Rejected", new Dictionary<string, string>(), null, null, twin));
        // A compile error can leave an ILGPU Context unusable: this test opens an accelerator of its own.
        using var accelerator = Accelerators.Find("ilgpu-cpu").Open();
        using var y = accelerator.Allocate<float>(4);
        var error = Assert.ThrowsExactly<KernelCompilationException>(() => accelerator.Launch(Rejected, new Index1D(4), y.View));
        StringAssert.Contains(error.Message, "kernel IlgpuCpuFaultTests.Rejected: ILGPU could not compile its twin RejectedTwin");
    }

    private static void AssertStillWorks()
    {
        float[] a = [1f, 2f, 3f];
        using var da = IlgpuCpu.Allocate(a);
        using var dc = IlgpuCpu.Allocate<float>(3);
        IlgpuCpu.Launch(VectorKernels.Add, new Index1D(3), da.View, da.View, dc.View);
        CollectionAssert.AreEqual(new[] { 2f, 4f, 6f }, dc.ToArray(), "the accelerator works after the fault");
    }

    private static void NoTwin(Index1D i, ArrayView<float> y) => y[i] = 1f;

    private static void Rejected(Index1D i, ArrayView<float> y) => y[i] = 1f;

    // A managed object inside a kernel: ILGPU's compiler refuses it.
    private static void RejectedTwin(ILGPU.Index1D i, ILGPU.ArrayView<float> y) => y[i.X] = new object().GetHashCode();
}
