using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.ProofKernels.Porting;

namespace GpuConvNet.Tests.Compute;

/// <summary>
/// Kernels and host code in ILGPU's idiom (src/GpuConvNet.ProofKernels/Porting), each against a plain C# loop, on
/// every engine.
/// </summary>
public abstract class PortingSuiteTests : AcceleratorTest
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(1000)]
    public void FirstSteps_AddConstant_MatchesTheLoop(int n)
    {
        var input = Enumerable.Range(0, n).Select(i => i * 7 - 300).ToArray();
        var expected = input.Select((v, i) => v + 42 + 3 * i).ToArray();
        CollectionAssert.AreEqual(expected, FirstSteps.RunAddConstant(Accelerator, input, 42));
    }
}
