using GpuConvNet.Compute;
using GpuConvNet.ProofKernels;

namespace GpuConvNet.Tests.Compute;

/// <summary>
/// The bound on specialisations that every compiling engine (OpenCL, CUDA, ILGPU) keeps through
/// <see cref="CompiledKernels{TCompiled}"/>: a caller passing a new value each launch gets a clear refusal, not a
/// program per launch.
/// </summary>
[TestClass]
public sealed class SpecializationLimitTests
{
    private static readonly KernelDefinition WindowSum = KernelRegistry.Get(VectorKernels.WindowSum);

    private static object?[] Args(int width, float scale = 1f) => [null, null, SpecializedValue.New(width), SpecializedValue.New(scale)];

    [TestMethod]
    public void TheSameValues_AreOneProgram_AVariantIsAnother()
    {
        var cache = new CompiledKernels<string>();
        int built = 0;
        string Build() => (++built).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.AreEqual("1", cache.GetOrAdd(WindowSum, "entry", Args(4), 0, _ => Build()));
        Assert.AreEqual("1", cache.GetOrAdd(WindowSum, "entry", Args(4), 0, _ => Build()));
        Assert.AreEqual("2", cache.GetOrAdd(WindowSum, "entry", Args(4, 2f), 0, _ => Build()));
        Assert.AreEqual("3", cache.GetOrAdd(WindowSum, "rows", Args(4), 0, _ => Build()));
        Assert.AreEqual(3, built);
    }

    [TestMethod]
    public void TheSixtyFifthSpecialisation_IsRefused_WithWhatToDo()
    {
        var cache = new CompiledKernels<int>();
        for (int width = 1; width <= KernelDefinition.MaxSpecializations; width++)
        {
            cache.GetOrAdd(WindowSum, "", Args(width), 0, static _ => 0);
        }
        // Values already compiled still launch, under any variant.
        cache.GetOrAdd(WindowSum, "rows", Args(1), 0, static _ => 0);
        var error = Assert.ThrowsExactly<ArgumentException>(() => cache.GetOrAdd(WindowSum, "", Args(65), 0, static _ => 0));
        StringAssert.Contains(error.Message, "kernel VectorKernels.WindowSum: width=65, scale=1 would be its 65th specialisation");
        StringAssert.Contains(error.Message, "pass one of a few values");
    }

    [TestMethod]
    public void SourceFor_WritesEachValueIn_AsACLiteral()
    {
        string source = WindowSum.SourceFor(KernelDialects.OpenCL, Args(7, 0.1f));
        Assert.DoesNotContain("gcn_specialized_", source);
        StringAssert.Contains(source, "float window[(7)] = {0};");
        StringAssert.Contains(source, "(0.1f) * sum");
        var nan = Assert.ThrowsExactly<ArgumentException>(() => WindowSum.SourceFor(KernelDialects.OpenCL, Args(7, float.NaN)));
        StringAssert.Contains(nan.Message, "the specialised value of 'scale' must be a finite Single");
    }
}
