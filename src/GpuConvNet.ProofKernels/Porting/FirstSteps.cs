// An ILGPU program, unchanged: here GpuConvNet.Compute's types answer to ILGPU's names (IlgpuSource.targets), and
// tests/GpuConvNet.Porting.IlgpuTests compiles this same file against ILGPU itself and runs it on ILGPU's CPU accelerator.
using ILGPU;
using ILGPU.Runtime;

namespace GpuConvNet.ProofKernels.Porting;

/// <summary>
/// ILGPU's first steps, written in its idiom (plain static kernels in an ordinary class, found through the loading
/// calls; ILGPU's host names, ILGPU's using lines), compiled here as it would be by ILGPU.
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
