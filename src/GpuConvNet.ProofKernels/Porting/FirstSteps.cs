using GpuConvNet.Compute;

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
}
