using GpuConvNet.Compute;
using GpuConvNet.Compute.Cpu;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Compute;

/// <summary>Naming accelerators, what a missing engine says, and engines as data.</summary>
[TestClass]
public sealed class AcceleratorSelectionTests
{
    [TestMethod]
    public void Find_AnUnknownName_ListsTheNamesThatWork()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => Accelerators.Find("tpu"));
        StringAssert.Contains(error.Message, "best, cuda[:N], opencl[:N], cpu, ilgpu-cuda[:N], ilgpu-opencl[:N], ilgpu-cpu, oclgrind");
    }

    [TestMethod]
    public void Find_ADeviceIndexThatDoesNotExist_ListsTheDevices()
    {
        Assert.AreEqual("cpu", Accelerators.Find("cpu:0").Id, "a single engine's device is also its device 0");
        var error = Assert.ThrowsExactly<ArgumentException>(() => Accelerators.Find("cpu:7"));
        StringAssert.Contains(error.Message, "cpu has 1 device: cpu");
    }

    [TestMethod]
    public void Find_AnIndexThatDoesNotExist_ListsTheDevices()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => Accelerators.Find("opencl:99"));
        var opencl = Accelerators.Probe(Engines.Get("opencl"));
        StringAssert.Contains(error.Message, opencl.Devices.Count == 0 ? "no opencl device is available here" : "opencl has ");
    }

    [TestMethod]
    public void Find_AnEngineWhoseLibraryIsMissing_SaysWhichLibrary()
    {
        var missing = Accelerators.Probes.FirstOrDefault(p => p.Unavailable is not null);
        if (missing is null)
        {
            Assert.Inconclusive("every engine is available on this machine");
        }
        var error = Assert.ThrowsExactly<ArgumentException>(() => Accelerators.Find(missing.Engine.Id));
        StringAssert.Contains(error.Message, missing.Unavailable!);
    }

    [TestMethod]
    public void Best_IsAGpuBeforeACpu_ThenTheEngineRank_NeverASimulatorOrIlgpuCpu()
    {
        var best = Accelerators.BestDevice;
        var candidates = Accelerators.All.Where(d => d.Engine.BestRank is not null && !d.IsSimulator && d.Type != DeviceType.Other).ToList();
        var expected = candidates.FirstOrDefault(d => d.Type == DeviceType.Gpu && d.Engine.Id == "cuda")
            ?? candidates.FirstOrDefault(d => d.Type == DeviceType.Gpu && d.Engine.Id == "ilgpu-cuda")
            ?? candidates.FirstOrDefault(d => d.Type == DeviceType.Gpu && d.Engine.Id == "opencl")
            ?? candidates.FirstOrDefault(d => d.Type == DeviceType.Gpu && d.Engine.Id == "ilgpu-opencl")
            ?? candidates.FirstOrDefault(d => d.Engine.Id == "opencl")
            ?? candidates.FirstOrDefault(d => d.Engine.Id == "ilgpu-opencl")
            ?? Accelerators.Find("cpu");
        Assert.AreEqual(expected.Id, best.Id);
        Assert.AreNotEqual("ilgpu-cpu", best.Id, "ILGPU's CPU accelerator is for checking, never the best");
        Assert.IsFalse(best.IsSimulator);
    }

    [TestMethod]
    public void Find_IlgpuNames_GiveIlgpuDevices()
    {
        var cpu = Accelerators.Find("ilgpu-cpu");
        Assert.AreEqual("ilgpu-cpu", cpu.Engine.Id);
        Assert.AreEqual("ilgpu-cpu", cpu.Id);
        Assert.IsTrue(cpu.IsIlgpu);
        Assert.IsFalse(Accelerators.Find("cpu").IsIlgpu);
        Assert.IsTrue(Accelerators.All.Any(d => d.Id == "ilgpu-cpu"), "ILGPU's CPU accelerator is always listed");
    }

    [TestMethod]
    public void OpenCLDevices_AreNamedByPlatform_AndFoundByThatName()
    {
        Backends.Get("opencl"); // no OpenCL platform: Inconclusive, or a failure under CI, which installs PoCL
        var devices = Accelerators.Probe(Engines.Get("opencl")).Devices;
        if (devices.Count == 0)
        {
            Assert.Inconclusive("needs an OpenCL platform");
        }
        foreach (var device in devices)
        {
            StringAssert.Matches(device.Id, new System.Text.RegularExpressions.Regex("^opencl:[a-z][a-z0-9]*:[0-9]+$"));
            Assert.AreSame(device, Accelerators.Find(device.Id));
            Assert.AreSame(device, Accelerators.Find(device.Id.ToUpperInvariant()), "ids are case-insensitive");
        }
        var first = devices[0];
        string platform = first.Id.Split(':')[1];
        Assert.AreSame(first, Accelerators.Find($"opencl:{platform}"), "the platform alone names its first device");
        Assert.AreSame(devices[devices.Count - 1], Accelerators.Find($"opencl:{devices.Count - 1}"), "opencl:N is the N-th in the listing");
    }

    [TestMethod]
    public void BareOpenCLAndBest_NeverPickASimulator()
    {
        Backends.Get("oclgrind"); // no Oclgrind: Inconclusive, or a failure under CI, which registers it
        var devices = Accelerators.Probe(Engines.Get("opencl")).Devices;
        var simulator = devices.FirstOrDefault(d => d.IsSimulator);
        if (simulator is null)
        {
            Assert.Inconclusive("needs a simulated OpenCL device (Oclgrind registered with the ICD loader)");
        }
        Assert.IsFalse(Accelerators.Find("opencl").IsSimulator);
        Assert.IsFalse(Accelerators.BestDevice.IsSimulator);
        Assert.AreSame(simulator, Accelerators.Find(simulator.Id), "named, a simulator is used");
        // Positions count the real devices first, so opencl:0 (the README's and the scripts' id) is never the simulator.
        Assert.IsFalse(Accelerators.Find("opencl:0").IsSimulator, "opencl:0 is " + Accelerators.Find("opencl:0").Id);
        CollectionAssert.AreEqual(devices.OrderBy(d => d.IsSimulator).ToArray(), devices.ToArray(), "simulators are listed last");
    }

    [TestMethod]
    public void PlatformKeys_AreShortStableWords()
    {
        Assert.AreEqual("pocl", GpuConvNet.Compute.OpenCL.OpenCLBackend.PlatformKey("Portable Computing Language"));
        Assert.AreEqual("nvidia", GpuConvNet.Compute.OpenCL.OpenCLBackend.PlatformKey("NVIDIA CUDA"));
        Assert.AreEqual("intel", GpuConvNet.Compute.OpenCL.OpenCLBackend.PlatformKey("Intel(R) OpenCL HD Graphics"));
        Assert.AreEqual("oclgrind", GpuConvNet.Compute.OpenCL.OpenCLBackend.PlatformKey("Oclgrind"));
        Assert.AreEqual("acme", GpuConvNet.Compute.OpenCL.OpenCLBackend.PlatformKey("ACME Compute 2.0"));
        Assert.AreEqual("platform", GpuConvNet.Compute.OpenCL.OpenCLBackend.PlatformKey("3D Thing"));
    }

    [TestMethod]
    public void IlgpuOpenCL_OnAnOpenCL12Device_SaysGenericAddressSpaceIsMissing()
    {
        var ours = Accelerators.Probe(Engines.Get("opencl")).Devices;
        var ilgpu = Accelerators.Probe(Engines.Get("ilgpu-opencl"));
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
        var ours = Accelerators.Probe(Engines.Get("cuda"));
        var ilgpu = Accelerators.Probe(Engines.Get("ilgpu-cuda"));
        if (ours.Unavailable is null || !ours.Unavailable.StartsWith("no NVIDIA driver", StringComparison.Ordinal))
        {
            Assert.Inconclusive("the NVIDIA driver is installed here");
        }
        StringAssert.StartsWith(ilgpu.Unavailable, "no NVIDIA driver (could not load libcuda.so.1");
        var error = Assert.ThrowsExactly<ArgumentException>(() => Accelerators.Find("ilgpu-cuda:0"));
        StringAssert.Contains(error.Message, "no ilgpu-cuda device is available here: no NVIDIA driver");
    }

    /// <summary>
    /// A new engine is one declaration and one registration: names, help, listing and best follow from it. This one
    /// lends the CPU accelerator a new id and ranks first among CPUs.
    /// </summary>
    [TestMethod]
    public void ANewEngine_IsOneDeclaration_AndEverythingFollows()
    {
        Engine? engine = null;
        engine = new Engine
        {
            Id = "throwaway-cpu",
            Title = "ThrowawayCpu",
            Summary = "a test's engine",
            Single = true,
            Capabilities = EngineCapabilities.ManagedLanes,
            Probe = () => new EngineProbe(engine!, [CpuAccelerator.Describe() with { Engine = engine!, Id = "throwaway-cpu", Name = "throwaway" }], null),
        };
        Engines.Register(engine);

        StringAssert.Contains(Engines.IdPatterns, "throwaway-cpu");
        var device = Accelerators.Find("throwaway-cpu");
        Assert.AreSame(engine, device.Engine);
        Assert.IsTrue(Accelerators.All.Contains(device), "listed with the others");
        Assert.AreNotEqual("throwaway-cpu", Accelerators.BestDevice.Id, "an engine without a BestRank is never best");
        using var accelerator = device.Open();
        using var buffer = accelerator.Allocate(new float[] { 1, 2, 3 });
        CollectionAssert.AreEqual(new float[] { 1, 2, 3 }, buffer.ToArray());
        Assert.ThrowsExactly<ArgumentException>(() => Engines.Register(engine), "an id is registered once");
    }
}
