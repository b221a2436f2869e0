using GpuConvNet.Compute;
using GpuConvNet.Tests.Infrastructure;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace GpuConvNet.Tests.Ilgpu;

/// <summary>
/// Compiles every registered kernel's ILGPU twin to PTX with ILGPU's own backend, offline: the second compiler's CUDA
/// path is compiled in every run, on machines without a GPU (the twins also run on ILGPU's CPU accelerator in the
/// backend suites). sm_80 with PTX ISA 8.0: what an A100 takes and an H100/H200 JIT-compiles.
/// </summary>
[TestClass]
public sealed class IlgpuTwinsCompileToPtxTests
{
    private static readonly Lazy<(Context Context, PTXBackend Backend)> Ptx = new(() =>
    {
        var context = Context.Create(builder => builder.Cuda().EnableAlgorithms());
        var architecture = CudaArchitecture.SM_80;
        return (context, new PTXBackend(context, new CudaCapabilityContext(architecture), architecture, CudaInstructionSet.ISA_80, null));
    });

    /// <summary>Every kernel the test run can see, by name.</summary>
    public static IEnumerable<object[]> Kernels => KernelCatalog.All.Select(k => new object[] { KernelCatalog.FullName(k) });

    [TestMethod]
    [DynamicData(nameof(Kernels))]
    public void IlgpuTwin_CompilesToPtx(string kernelName)
    {
        var kernel = KernelCatalog.All.Single(k => KernelCatalog.FullName(k) == kernelName);
        Assert.IsNotNull(kernel.IlgpuKernel, $"{kernel.Name} has no ILGPU twin");
        var entry = kernel.IsGrouped
            ? EntryPointDescription.FromExplicitlyGroupedKernel(kernel.IlgpuKernel)
            : EntryPointDescription.FromImplicitlyGroupedKernel(kernel.IlgpuKernel);
        var compiled = (PTXCompiledKernel)Ptx.Value.Backend.Compile(entry, KernelSpecialization.Empty);
        StringAssert.Contains(compiled.PTXAssembly, ".entry ", $"PTX of {kernel.Name}");
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
                var expected = kernel.Parameters[i].Kind == KernelParameterKind.View
                    ? typeof(ILGPU.ArrayView<>).MakeGenericType(kernel.Parameters[i].ElementType)
                    : kernel.Parameters[i].ElementType;
                Assert.AreEqual(expected, parameters[i].ParameterType, $"{kernel.Name} parameter {kernel.Parameters[i].Name}");
            }
        }
    }
}
