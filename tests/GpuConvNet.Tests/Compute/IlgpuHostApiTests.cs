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

    [TestMethod]
    public void ThreeDBuffers_CopyBothLayouts_AsArrayXYZ()
    {
        using var accelerator = Accelerators.Create("cpu");
        var input = new int[2, 3, 4];
        for (int x = 0; x < 2; x++)
        {
            for (int y = 0; y < 3; y++)
            {
                for (int z = 0; z < 4; z++)
                {
                    input[x, y, z] = 100 * x + 10 * y + z;
                }
            }
        }
        using var rows = accelerator.Allocate3DDenseXY<int>(new Index3D(2, 3, 4));
        using var columns = accelerator.Allocate3DDenseZY<int>(new Index3D(2, 3, 4));
        rows.CopyFromCPU(input);
        columns.CopyFromCPU(input);
        CollectionAssert.AreEqual(input, rows.GetAsArray3D());
        CollectionAssert.AreEqual(input, columns.GetAsArray3D());
        // (1, 2, 3) at 1 + 2·2 + 3·6 in XY order, at 1·12 + 2·4 + 3 in ZY order: ILGPU's layouts.
        Assert.AreEqual(123, rows.Buffer.GetAsArray1D()[23]);
        Assert.AreEqual(123, columns.Buffer.GetAsArray1D()[23]);
        Assert.AreEqual(102, rows.Buffer.GetAsArray1D()[1 + 0 * 2 + 2 * 6]);
        Assert.AreEqual(102, columns.Buffer.GetAsArray1D()[1 * 12 + 0 * 4 + 2]);
        var error = Assert.ThrowsExactly<ArgumentException>(() => rows.CopyFromCPU(new int[3, 2, 4]));
        StringAssert.Contains(error.Message, "a [3, 2, 4] array into a 3-D buffer of (2, 3, 4)");
    }

    [TestMethod]
    public void SubViewOf2DView_SpansItsBaseAsILGPUCounts_AndIsBoundsChecked()
    {
        using var accelerator = Accelerators.Create("cpu");
        using var matrix = accelerator.Allocate2DDenseX<int>(new Index2D(7, 5));
        var block = matrix.View.SubView(new Index2D(2, 1), new Index2D(4, 3));
        Assert.AreEqual(new Index2D(4, 3), block.IntExtent);
        Assert.AreEqual(2 * 7 + 4, block.Length, "from its first element to its last, gaps between its rows included");
        Assert.AreEqual(2 + 1 * 7, block.BaseView.Offset);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => matrix.View.SubView(new Index2D(5, 0), new Index2D(3, 1)));
        StringAssert.Contains(error.Message, "SubView((5, 0), (3, 1)) does not fit in a 2-D view of (7, 5)");
    }

    [TestMethod]
    public void KernelConfig_WithDynamicSharedMemory_FromTuplesAsFromItsConstructor()
    {
        var shared = SharedMemoryConfig.RequestDynamic<float>(96);
        Assert.AreEqual(96L * sizeof(float), shared.ArraySize);
        KernelConfig fromTuple = (3, 64, shared);
        Assert.AreEqual(new KernelConfig(3, 64, shared), fromTuple);
        KernelConfig from3D = (new Index3D(3, 1, 1), new Index3D(64, 1, 1), shared);
        Assert.AreEqual(fromTuple, from3D);
        Assert.IsFalse(new KernelConfig(3, 64).SharedMemoryConfig.UsesDynamicSharedMemory);
    }
}
