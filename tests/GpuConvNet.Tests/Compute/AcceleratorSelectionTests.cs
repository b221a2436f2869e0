using GpuConvNet.Compute;

namespace GpuConvNet.Tests.Compute;

/// <summary>Naming accelerators, and what a missing backend says.</summary>
[TestClass]
public sealed class AcceleratorSelectionTests
{
    [TestMethod]
    public void Find_AnUnknownName_ListsTheNamesThatWork()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => Accelerators.Find("tpu"));
        StringAssert.Contains(error.Message, "best, cpu, opencl[:N] or cuda[:N]");
    }

    [TestMethod]
    public void Find_ADeviceIndexThatDoesNotExist_ListsTheDevices()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => Accelerators.Find("cpu:7"));
        StringAssert.Contains(error.Message, "Cpu has 1 device(s): cpu");
    }

    [TestMethod]
    public void Find_ABackendWhoseLibraryIsMissing_SaysWhichLibrary()
    {
        var missing = Accelerators.Backends.FirstOrDefault(b => b.Unavailable is not null);
        if (missing is null)
        {
            Assert.Inconclusive("every backend is available on this machine");
        }
        var error = Assert.ThrowsExactly<ArgumentException>(() => Accelerators.Find(missing.Kind.ToString().ToLowerInvariant()));
        StringAssert.Contains(error.Message, missing.Unavailable!);
    }

    [TestMethod]
    public void Best_IsTheFirstOfCudaOpenCLGpuOpenCLCpuThenCpu()
    {
        var best = Accelerators.BestDevice;
        var expected = Accelerators.OfKind(AcceleratorKind.Cuda).FirstOrDefault()
            ?? Accelerators.OfKind(AcceleratorKind.OpenCL).OrderBy(d => d.Type == DeviceType.Gpu ? 0 : 1).FirstOrDefault()
            ?? Accelerators.OfKind(AcceleratorKind.Cpu)[0];
        Assert.AreEqual(expected.Id, best.Id);
        Assert.IsTrue(Accelerators.All.Any(d => d.Kind == AcceleratorKind.Cpu), "the CPU accelerator is always listed");
    }
}
