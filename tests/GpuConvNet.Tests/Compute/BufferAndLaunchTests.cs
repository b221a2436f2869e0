using GpuConvNet.Compute;
using GpuConvNet.Compute.Cpu;
using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.ProofKernels;

namespace GpuConvNet.Tests.Compute;

/// <summary>Buffers, and launches given bad input: each fails with a clear exception before anything runs.</summary>
public abstract class BufferAndLaunchTests : AcceleratorTest
{
    [TestMethod]
    public void Buffer_CopyFillAndCopyTo_RoundTrip()
    {
        var data = TestData.Uniform(1001, seed: 9);
        using var buffer = Accelerator.Allocate(data);
        CollectionAssert.AreEqual(data, buffer.ToArray());
        var part = new float[10];
        buffer.CopyToHost(part, offset: 991);
        CollectionAssert.AreEqual(data[991..], part);
        buffer.CopyFromHost([1f, 2f], offset: 5);
        using var copy = Accelerator.Allocate<float>(1001);
        buffer.CopyTo(copy);
        var copied = copy.ToArray();
        Assert.AreEqual(1f, copied[5]);
        Assert.AreEqual(2f, copied[6]);
        Assert.AreEqual(data[7], copied[7]);
        copy.Fill(3.5f);
        Assert.IsTrue(copy.ToArray().All(v => v == 3.5f));
        using var bytes = Accelerator.Allocate<byte>(7);
        bytes.Fill(200);
        Assert.IsTrue(bytes.ToArray().All(v => v == 200));
    }

    [TestMethod]
    public void Buffer_CopyOutsideItsLength_Throws()
    {
        using var buffer = Accelerator.Allocate<float>(4);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => buffer.CopyFromHost(new float[3], offset: 2));
        StringAssert.Contains(error.Message, "do not fit");
    }

    [TestMethod]
    public void Allocate_LargerThanTheDeviceAllows_ThrowsOutOfMemory()
    {
        long elements = Accelerator.Device.MaxAllocationBytes / sizeof(float) + 1;
        if (elements > int.MaxValue)
        {
            // One allocation is at most int.MaxValue elements: ask for that many doubles' worth instead.
            var tooBig = Assert.ThrowsExactly<DeviceOutOfMemoryException>(() => Accelerator.Allocate<Int128>(int.MaxValue));
            StringAssert.Contains(tooBig.Message, "bytes");
            return;
        }
        var error = Assert.ThrowsExactly<DeviceOutOfMemoryException>(() => Accelerator.Allocate<float>((int)elements));
        StringAssert.Contains(error.Message, Accelerator.Name);
    }

    [TestMethod]
    public void Launch_WithAViewOfAnotherAccelerator_NamesKernelAndParameter()
    {
        using var other = new CpuAccelerator();
        using var foreign = other.Allocate<float>(8);
        using var local = Accelerator.Allocate<float>(8);
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            Accelerator.Launch(VectorKernels.Add, new Index1D(8), local.View, foreign.View, local.View));
        StringAssert.Contains(error.Message, "VectorKernels.Add");
        StringAssert.Contains(error.Message, "'b'");
    }

    [TestMethod]
    public void Launch_WithADisposedBuffer_NamesKernelAndParameter()
    {
        using var a = Accelerator.Allocate<float>(8);
        var disposed = Accelerator.Allocate<float>(8);
        var view = disposed.View;
        disposed.Dispose();
        var error = Assert.ThrowsExactly<ObjectDisposedException>(() =>
            Accelerator.Launch(VectorKernels.Add, new Index1D(8), a.View, a.View, view));
        StringAssert.Contains(error.Message, "'c'");
        Assert.ThrowsExactly<ObjectDisposedException>(() => disposed.ToArray());
    }

    [TestMethod]
    public void Launch_WithATooLargeGroup_NamesTheLimit()
    {
        using var x = Accelerator.Allocate<float>(8);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            Accelerator.Launch(ReductionKernels.GroupSum, new KernelConfig(1, Accelerator.Device.MaxGroupSize + 1), x.View, x.View));
        StringAssert.Contains(error.Message, "ReductionKernels.GroupSum");
        StringAssert.Contains(error.Message, Accelerator.Device.MaxGroupSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestMethod]
    public void Launch_WithANegativeExtent_Throws()
    {
        using var x = Accelerator.Allocate<float>(8);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            Accelerator.Launch(VectorKernels.Add, new Index1D(-1), x.View, x.View, x.View));
    }

    [TestMethod]
    public void Launch_OfAMethodThatIsNotAKernel_SaysHowToFixIt()
    {
        using var x = Accelerator.Allocate<float>(8);
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            Accelerator.Launch(NotAKernel, new Index1D(8), x.View));
        StringAssert.Contains(error.Message, "[Kernel]");
    }

    private static void NotAKernel(Index1D i, ArrayView<float> x) => x[i] = 0;
}
