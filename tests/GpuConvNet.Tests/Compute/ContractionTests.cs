using GpuConvNet.Compute;
using GpuConvNet.ProofKernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Compute;

/// <summary>
/// That the FP_CONTRACT pragma is what keeps OpenCL's floats equal to .NET's: PoCL on a CPU with FMA units fuses the
/// same kernel when it is allowed to (<c>[Kernel(AllowContraction = true)]</c>). The engine-wide property — no fusing
/// by default — is <c>VectorKernelTests.ProductDifference_IsExactlyZero_AsInDotNet</c>, on every engine.
/// </summary>
[TestClass]
public sealed class ContractionTests
{
    [TestMethod]
    public void OnOpenCL_AllowingContraction_ChangesTheRounding()
    {
        var accelerator = Backends.Get("opencl");
        if (accelerator.Device.Type != DeviceType.Cpu || !System.Runtime.Intrinsics.X86.Fma.IsSupported)
        {
            Assert.Inconclusive($"{accelerator.Name}: the check needs PoCL on a CPU with FMA units (x86 FMA3)");
        }
        const int n = 4096;
        var (x, y) = VectorKernelTests.RunProductDifference(accelerator, VectorKernels.ProductDifferenceContracted, n, seed: 17);
        // fma(x, x, −fl(x·x)) is the exact rounding error of x·x: nonzero for most x of this size.
        Assert.IsGreaterThan(n / 2, y.Count(v => v != 0f), "PoCL did not fuse the kernel that allows it: the pragma would prove nothing");
        for (int i = 0; i < n; i++)
        {
            double exact = (double)x[i] * x[i] - (float)(x[i] * x[i]);
            Assert.AreEqual(exact, y[i], Math.Abs(exact) * 1e-6 + 1e-30, $"y[{i}] is not x·x's rounding error");
        }
    }
}
