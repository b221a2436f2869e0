using GpuConvNet.Compute;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Cuda;

/// <summary>
/// Compiles every registered kernel's generated CUDA C to PTX with clang-14, so the CUDA path is compiled in CI
/// even on machines without a GPU or the CUDA SDK. Without clang-14 the tests are Inconclusive, and fail under CI.
/// </summary>
[TestClass]
public sealed class CudaSourceCompilesWithClangTests
{
    /// <summary>Every kernel the test run can see, by name.</summary>
    public static IEnumerable<object[]> Kernels => KernelCatalog.All.Select(k => new object[] { KernelCatalog.FullName(k) });

    [TestMethod]
    [DynamicData(nameof(Kernels))]
    public void GeneratedCuda_CompilesToPtx(string kernelName)
    {
        var kernel = KernelCatalog.All.Single(k => KernelCatalog.FullName(k) == kernelName);
        string directory = Path.Combine(Path.GetTempPath(), "gpuconvnet-clang-" + Environment.ProcessId);
        Directory.CreateDirectory(directory);
        string source = Path.Combine(directory, kernelName + ".cu");
        string cuda = KernelCatalog.Source(kernel, KernelDialects.Cuda);
        File.WriteAllText(source, cuda);
        string prelude = Path.Combine(AppContext.BaseDirectory, "Cuda", "clang_cuda_prelude.h");
        // PTX ISA 7.0, which sm_80 needs and the warp shuffles' NVVM builtins ask for (without the SDK clang assumes an old one).
        var (exitCode, output) = Clang.Run(
            ["-x", "cuda", "--cuda-device-only", "--cuda-gpu-arch=sm_80", "-nocudainc", "-nocudalib", "-S", "-Xclang", "-target-feature", "-Xclang", "+ptx70",
             "-Werror=implicit-function-declaration", "-include", prelude, source, "-o", Path.ChangeExtension(source, ".ptx")]);
        Assert.AreEqual(0, exitCode, $"clang-14 rejected the CUDA C of {kernel.Name}:\n{output}\n--- source ---\n{cuda}");
        StringAssert.Contains(File.ReadAllText(Path.ChangeExtension(source, ".ptx")), ".entry " + kernel.EntryPoint);
    }
}
