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
        StringAssert.Contains(error.Message, "best, cpu, opencl[:N], cuda[:N], ilgpu-cpu, ilgpu-cuda[:N] or ilgpu-opencl[:N]");
    }

    [TestMethod]
    public void Find_ADeviceIndexThatDoesNotExist_ListsTheDevices()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => Accelerators.Find("cpu:7"));
        StringAssert.Contains(error.Message, "cpu has 1 device: cpu");
    }

    [TestMethod]
    public void Find_ABackendWhoseLibraryIsMissing_SaysWhichLibrary()
    {
        var missing = Accelerators.Backends.FirstOrDefault(b => b.Unavailable is not null);
        if (missing is null)
        {
            Assert.Inconclusive("every backend is available on this machine");
        }
        var error = Assert.ThrowsExactly<ArgumentException>(() => Accelerators.Find(DeviceInfo.KindName(missing.Kind)));
        StringAssert.Contains(error.Message, missing.Unavailable!);
    }

    [TestMethod]
    public void Best_IsTheFirstOfCudaIlgpuCudaOpenCLGpuOpenCLCpuThenCpu()
    {
        var best = Accelerators.BestDevice;
        var expected = Accelerators.OfKind(AcceleratorKind.Cuda).FirstOrDefault()
            ?? Accelerators.OfKind(AcceleratorKind.IlgpuCuda).FirstOrDefault()
            ?? Accelerators.OfKind(AcceleratorKind.OpenCL).FirstOrDefault(d => d.Type == DeviceType.Gpu)
            ?? Accelerators.OfKind(AcceleratorKind.IlgpuOpenCL).FirstOrDefault(d => d.Type == DeviceType.Gpu)
            ?? Accelerators.OfKind(AcceleratorKind.OpenCL).FirstOrDefault()
            ?? Accelerators.OfKind(AcceleratorKind.Cpu)[0];
        Assert.AreEqual(expected.Id, best.Id);
        Assert.IsTrue(Accelerators.All.Any(d => d.Kind == AcceleratorKind.Cpu), "the CPU accelerator is always listed");
        Assert.AreNotEqual(AcceleratorKind.IlgpuCpu, best.Kind, "ILGPU's CPU accelerator is for checking, never the best");
    }

    [TestMethod]
    public void Find_IlgpuNames_GiveIlgpuDevices()
    {
        var cpu = Accelerators.Find("ilgpu-cpu");
        Assert.AreEqual(AcceleratorKind.IlgpuCpu, cpu.Kind);
        Assert.AreEqual("ilgpu-cpu", cpu.Id);
        Assert.IsTrue(cpu.IsIlgpu);
        Assert.IsFalse(Accelerators.Find("cpu").IsIlgpu);
        Assert.IsTrue(Accelerators.All.Any(d => d.Kind == AcceleratorKind.IlgpuCpu), "ILGPU's CPU accelerator is always listed");
    }

    [TestMethod]
    public void IlgpuOpenCL_OnAnOpenCL12Device_SaysGenericAddressSpaceIsMissing()
    {
        var ours = Accelerators.OfKind(AcceleratorKind.OpenCL);
        var ilgpu = Accelerators.Backends.Single(b => b.Kind == AcceleratorKind.IlgpuOpenCL);
        if (ours.Count == 0 || ilgpu.Devices.Count > 0)
        {
            Assert.Inconclusive("needs an OpenCL device that ILGPU cannot use (OpenCL C 1.2, e.g. PoCL 3.1)");
        }
        StringAssert.Contains(ilgpu.Unavailable, "no generic address space, which ILGPU's OpenCL backend needs");
        var error = Assert.ThrowsExactly<ArgumentException>(() => Accelerators.Find("ilgpu-opencl"));
        StringAssert.Contains(error.Message, "no ilgpu-opencl device is available here");
    }

    [TestMethod]
    public void IlgpuCuda_WithoutTheDriver_SaysSoLikeOurCuda()
    {
        var ours = Accelerators.Backends.Single(b => b.Kind == AcceleratorKind.Cuda);
        var ilgpu = Accelerators.Backends.Single(b => b.Kind == AcceleratorKind.IlgpuCuda);
        if (ours.Unavailable is null || !ours.Unavailable.StartsWith("no NVIDIA driver", StringComparison.Ordinal))
        {
            Assert.Inconclusive("the NVIDIA driver is installed here");
        }
        StringAssert.StartsWith(ilgpu.Unavailable, "no NVIDIA driver (could not load libcuda.so.1");
        var error = Assert.ThrowsExactly<ArgumentException>(() => Accelerators.Find("ilgpu-cuda:0"));
        StringAssert.Contains(error.Message, "no ilgpu-cuda device is available here: no NVIDIA driver");
    }
}
