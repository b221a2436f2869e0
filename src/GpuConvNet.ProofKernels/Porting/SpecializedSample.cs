// An ILGPU program, unchanged: here GpuConvNet.Compute's types answer to ILGPU's names (IlgpuSource.targets), and
// tests/GpuConvNet.Porting.IlgpuTests compiles this same file against ILGPU itself and runs it on ILGPU's CPU accelerator.
using ILGPU;
using ILGPU.Runtime;

namespace GpuConvNet.ProofKernels.Porting;

/// <summary>
/// ILGPU's specialisation sample, in its idiom: a window width compiled into the kernel, so that its loop unrolls and
/// its private array (ILGPU's LocalMemory) is sized, one program per width.
/// </summary>
public class SpecializedSample
{
    static void WindowMax(Index1D index, ArrayView<float> input, ArrayView<float> output, SpecializedValue<int> width)
    {
        var window = LocalMemory.Allocate<float>(width.Value);
        for (int k = 0; k < width; k++)
        {
            int j = index + k;
            window[k] = j < input.Length ? input[j] : float.NegativeInfinity;
        }
        float best = window[0];
        for (int k = 1; k < width; k++)
        {
            best = MathF.Max(best, window[k]);
        }
        output[index] = best;
    }

    /// <summary>output[i] = max of input[i .. i + width − 1] (−∞ past the end).</summary>
    public static float[] Run(Accelerator accelerator, float[] values, int width)
    {
        var kernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, SpecializedValue<int>>(WindowMax);
        using var input = accelerator.Allocate1D(values);
        using var output = accelerator.Allocate1D<float>(values.Length);
        kernel(input.IntExtent, input.View, output.View, SpecializedValue.New(width));
        var result = new float[values.Length];
        output.CopyToCPU(result);
        return result;
    }

    /// <summary>The same, as a plain C# loop.</summary>
    public static float[] Reference(float[] values, int width) =>
        values.Select((_, i) => Enumerable.Range(i, width).Select(j => j < values.Length ? values[j] : float.NegativeInfinity).Max()).ToArray();
}
