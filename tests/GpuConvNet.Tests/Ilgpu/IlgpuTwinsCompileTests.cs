using GpuConvNet.Compute;
using GpuConvNet.Tests.Infrastructure;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace GpuConvNet.Tests.Ilgpu;

/// <summary>
/// Compiles every registered kernel's ILGPU twin with ILGPU's own backends, offline: to PTX (sm_80 with PTX ISA 8.0:
/// what an A100 takes and an H100/H200 JIT-compiles) and to OpenCL C 2.0, which clang-14 then compiles, so the second
/// compiler's CUDA and OpenCL paths are compiled in every run on machines without a GPU or an OpenCL 2.0 device (the
/// twins also run on ILGPU's CPU accelerator in the backend suites).
/// </summary>
[TestClass]
public sealed class IlgpuTwinsCompileTests
{
    private static readonly Lazy<(ILGPU.Context Context, PTXBackend Backend)> Ptx = new(() =>
    {
        var context = ILGPU.Context.Create(builder => builder.Cuda().EnableAlgorithms());
        var architecture = CudaArchitecture.SM_80;
        return (context, new PTXBackend(context, new CudaCapabilityContext(architecture), architecture, CudaInstructionSet.ISA_80, null));
    });

    // An OpenCL 2.0 device as ILGPU's OpenCL backend needs one: generic address space and 64-bit atomics; no fp16, fp64.
    private static readonly Lazy<(ILGPU.Context Context, CLBackend Backend)> OpenCL = new(() =>
    {
        var context = ILGPU.Context.Create(builder => builder.OpenCL().EnableAlgorithms());
        var capabilities = new CLCapabilityContext(float16: false, float64: false, genericAddressSpace: true, int64_Atomics: true, subGroups: false);
        return (context, new CLBackend(context, capabilities, CLDeviceVendor.Other, CLCVersion.CL20));
    });

    /// <summary>Every kernel the test run can see, by name.</summary>
    public static IEnumerable<object[]> Kernels => KernelCatalog.All.Select(k => new object[] { KernelCatalog.FullName(k) });

    [TestMethod]
    [DynamicData(nameof(Kernels))]
    public void IlgpuTwin_CompilesToPtx(string kernelName)
    {
        var kernel = KernelCatalog.All.Single(k => KernelCatalog.FullName(k) == kernelName);
        Assert.IsNotNull(kernel.IlgpuKernel, $"{kernel.Name} has no ILGPU twin");
        var compiled = (PTXCompiledKernel)Ptx.Value.Backend.Compile(Entry(kernel), KernelSpecialization.Empty);
        StringAssert.Contains(compiled.PTXAssembly, ".entry ", $"PTX of {kernel.Name}");
    }

    /// <summary>
    /// The kernels that do not shuffle warps: ILGPU 1.5.3's OpenCL backend shuffles only with Intel's sub-group
    /// extension and fails to compile a Warp.Shuffle for any other device (docs/porting-from-ilgpu.md).
    /// </summary>
    public static IEnumerable<object[]> KernelsWithoutWarps => KernelCatalog.All.Where(k => !k.UsesWarps).Select(k => new object[] { KernelCatalog.FullName(k) });

    [TestMethod]
    [DynamicData(nameof(KernelsWithoutWarps))]
    public void IlgpuTwin_CompilesToOpenCLC20_ThatClangAccepts(string kernelName)
    {
        var kernel = KernelCatalog.All.Single(k => KernelCatalog.FullName(k) == kernelName);
        Assert.IsNotNull(kernel.IlgpuKernel, $"{kernel.Name} has no ILGPU twin");
        var compiled = (CLCompiledKernel)OpenCL.Value.Backend.Compile(Entry(kernel), KernelSpecialization.Empty);
        string directory = Path.Combine(Path.GetTempPath(), "gpuconvnet-ilgpu-cl-" + Environment.ProcessId);
        Directory.CreateDirectory(directory);
        string source = Path.Combine(directory, kernelName + ".cl");
        File.WriteAllText(source, compiled.Source);
        var (exitCode, output) = Clang.Run(["-x", "cl", "-cl-std=CL2.0", "-Xclang", "-finclude-default-header", "-fsyntax-only", source]);
        Assert.AreEqual(0, exitCode, $"clang-14 rejected ILGPU's OpenCL C of {kernel.Name}:\n{output}\n--- source ---\n{compiled.Source}");
    }

    [TestMethod]
    public void EveryKernel_HasAnIlgpuTwinWithTheSameParameters()
    {
        foreach (var kernel in KernelCatalog.All)
        {
            var twin = kernel.IlgpuKernel;
            Assert.IsNotNull(twin, $"{kernel.Name} has no ILGPU twin");
            var parameters = twin.GetParameters().Skip(kernel.IndexRank > 0 ? 1 : 0).ToArray();
            Assert.HasCount(kernel.Parameters.Count, parameters, kernel.Name);
            for (int i = 0; i < parameters.Length; i++)
            {
                var expected = kernel.Parameters[i].Kind switch
                {
                    KernelParameterKind.View => typeof(ILGPU.ArrayView<>).MakeGenericType(kernel.Parameters[i].ElementType),
                    KernelParameterKind.Specialized => typeof(ILGPU.Runtime.SpecializedValue<>).MakeGenericType(kernel.Parameters[i].ElementType),
                    _ => kernel.Parameters[i].ElementType,
                };
                Assert.AreEqual(expected, parameters[i].ParameterType, $"{kernel.Name} parameter {kernel.Parameters[i].Name}");
            }
        }
    }

    private static EntryPointDescription Entry(KernelDefinition kernel)
    {
        var twin = kernel.IsSpecialized ? SpecializedTwin.Wrap(kernel.IlgpuKernel!) : kernel.IlgpuKernel!;
        return kernel.IsGrouped ? EntryPointDescription.FromExplicitlyGroupedKernel(twin) : EntryPointDescription.FromImplicitlyGroupedKernel(twin);
    }
}
