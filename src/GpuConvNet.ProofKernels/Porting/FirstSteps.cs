// The one difference from an ILGPU program: the using lines. tests/GpuConvNet.Porting.IlgpuTests compiles this file
// against ILGPU itself (ILGPU_ITSELF) and runs it on ILGPU's CPU accelerator.
#if ILGPU_ITSELF
using ILGPU;
using ILGPU.Runtime;
#else
using GpuConvNet.Compute;
#endif

namespace GpuConvNet.ProofKernels.Porting;

/// <summary>
/// ILGPU's first steps, written in its idiom (plain static kernels in an ordinary class, found through the loading
/// calls; ILGPU's host names): the only change from an ILGPU program is <c>using GpuConvNet.Compute;</c> for
/// <c>using ILGPU; using ILGPU.Runtime;</c>.
/// </summary>
public class FirstSteps
{
    private const int Stride = 3;

    static void AddConstant(Index1D index, ArrayView<int> data, int constant)
    {
        data[index] = data[index] + constant + Stride * index;
    }

    /// <summary>data[i] + constant + 3i for every i, through LoadAutoGroupedStreamKernel.</summary>
    public static int[] RunAddConstant(Accelerator accelerator, int[] input, int constant)
    {
        var kernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, int>(AddConstant);
        using var buffer = accelerator.Allocate1D(input);
        kernel(buffer.IntExtent, buffer.View, constant);
        accelerator.Synchronize();
        return buffer.GetAsArray1D();
    }

    /// <summary>The same, as a plain C# loop.</summary>
    public static int[] Reference(int[] input, int constant) => input.Select((v, i) => v + constant + Stride * i).ToArray();
}
