using GpuConvNet.Compute;
using GpuConvNet.ProofKernels;
using GpuConvNet.ProofKernels.Porting;

namespace GpuConvNet.Tests.Compute;

/// <summary>ILGPU's host-side names over our engines: contexts, device choice, loading, streams.</summary>
[TestClass]
public sealed class IlgpuHostApiTests
{
    [TestMethod]
    public void DefaultContext_ListsOurCudaOpenCLAndCpuEngines_Only()
    {
        using var context = Context.CreateDefault();
        Assert.IsTrue(context.Devices.Any(d => d.Engine.Id == "cpu"), "the CPU accelerator is always there");
        CollectionAssert.IsSubsetOf(context.Devices.Select(d => d.Engine.Id).Distinct().ToList(), new[] { "cuda", "opencl", "cpu" });
        Assert.AreEqual(context.Devices.Count, context.Count(), "a context enumerates its devices, as ILGPU's does");
    }

    [TestMethod]
    public void PreferredCpuDevice_RunsAKernel_AndTheContextDisposesItsAccelerator()
    {
        var context = Context.Create(builder => builder.CPU().EnableAlgorithms());
        var device = context.GetPreferredDevice(preferCPU: true);
        Assert.AreEqual("cpu", device.Engine.Id);
        var accelerator = device.CreateAccelerator(context);
        CollectionAssert.AreEqual(new[] { 5, 9 }, FirstSteps.RunAddConstant(accelerator, [0, 1], 5));
        context.Dispose();
        Assert.IsTrue(accelerator.IsDisposed);
        Assert.ThrowsExactly<ObjectDisposedException>(() => device.CreateAccelerator(context));
    }

    [TestMethod]
    public void MissingDevice_IsNamedWithWhatThereIs()
    {
        using var context = Context.Create(builder => builder.CPU());
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => context.GetCudaDevice(0));
        StringAssert.Contains(error.Message, "this context has 0 cuda devices; there is no number 0");
    }

    [TestMethod]
    public void LoadingAKernelTheWrongWay_NamesTheRightCall()
    {
        using var accelerator = Accelerators.Create("cpu");
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            accelerator.LoadStreamKernel<Index1D, ArrayView<int>, ArrayView<int>>(ReductionKernels.Histogram));
        StringAssert.Contains(error.Message, "ILGPU: LoadAutoGroupedStreamKernel");
    }

    [TestMethod]
    public void AStreamOfAnotherAccelerator_IsRefused()
    {
        using var one = Accelerators.Create("cpu");
        using var other = Accelerators.Create("cpu");
        var kernel = one.LoadAutoGroupedKernel<Index1D, ArrayView<int>, ArrayView<int>>(ReductionKernels.Histogram);
        using var values = one.Allocate1D(new[] { 1, 2 });
        using var counts = one.Allocate1D<int>(4);
        counts.MemSetToZero();
        var error = Assert.ThrowsExactly<ArgumentException>(() => kernel(other.DefaultStream, values.IntExtent, values.View, counts.View));
        StringAssert.Contains(error.Message, "the stream belongs to");
        kernel(one.DefaultStream, values.IntExtent, values.View, counts.View);
        CollectionAssert.AreEqual(new[] { 0, 1, 1, 0 }, counts.GetAsArray1D());
    }
}
