using GpuConvNet.Compute.Generator.Tests.Infrastructure;

namespace GpuConvNet.Compute.Generator.Tests;

/// <summary>
/// The proof kernels of GpuConvNet.Tests (copied to the output folder as text): the generator accepts all of them,
/// the generated code compiles, and their OpenCL C and CUDA C compile with clang where it is present.
/// </summary>
[TestClass]
public sealed class ProofKernelTests
{
    private static IReadOnlyList<(string Path, string Source)> ProofKernels()
    {
        string directory = Path.Combine(AppContext.BaseDirectory, "ProofKernels");
        var files = Directory.GetFiles(directory, "*.cs").Order(StringComparer.Ordinal).Select(p => (p, File.ReadAllText(p))).ToList();
        Assert.IsNotEmpty(files, "no proof kernels in " + directory);
        return files;
    }

    private static List<string> KernelNames(IEnumerable<(string Path, string Source)> files) =>
        [.. files.SelectMany(f => System.Text.RegularExpressions.Regex.Matches(f.Source, @"\[Kernel(\([^)]*\))?\]\s+public static void (\w+)")
            .Select(m => Path.GetFileNameWithoutExtension(f.Path) + "." + m.Groups[2].Value))];

    [TestMethod]
    public void ProofKernels_GenerateWithoutDiagnostics_AndCompile()
    {
        var files = ProofKernels();
        var result = GeneratorHarness.Run(files);
        result.AssertCleanAndCompiles();
        var kernels = KernelNames(files);
        var twins = result.GeneratedSources.Where(s => s.HintName.EndsWith(".Ilgpu.g.cs", StringComparison.Ordinal)).ToList();
        Assert.HasCount(kernels.Count, result.GeneratedSources.Except(twins), "one registration per kernel: " + string.Join(", ", kernels));
        Assert.HasCount(files.Count, twins, "one file of ILGPU twins per kernel class");
    }

    [TestMethod]
    public void ProofKernels_DeviceCode_CompilesWithClang()
    {
        var files = ProofKernels();
        var result = GeneratorHarness.Run(files);
        foreach (var kernel in KernelNames(files))
        {
            var (openCL, cuda) = result.DeviceSources(kernel);
            DeviceCompiler.AssertOpenCLCompiles(kernel, openCL);
            DeviceCompiler.AssertCudaCompiles(kernel, cuda);
        }
    }
}
