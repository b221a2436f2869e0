// An ILGPU program, unchanged: here GpuConvNet.Compute's types answer to ILGPU's names (IlgpuSource.targets), and
// tests/GpuConvNet.Porting.IlgpuTests compiles this same file against ILGPU itself and runs it on ILGPU's CPU accelerator.
using ILGPU;
using ILGPU.Runtime;

namespace GpuConvNet.ProofKernels.Porting;

/// <summary>
/// ILGPU's Mandelbrot sample, in its idiom: iteration counts of a width × height grid of points (row by row) starting
/// at (left, top), step apart. <c>re·re − im·im + x0</c> is what a compiler fuses into a multiply-add when it may;
/// contraction is off here by default, so every engine counts exactly as C# does.
/// </summary>
public class Mandelbrot
{
    /// <summary>The most iterations a point gets.</summary>
    public const int MaxIterations = 300;

    static void Iterate(Index1D index, ArrayView<int> counts, int width, float left, float top, float step)
    {
        float x0 = left + index % width * step;
        float y0 = top + index / width * step;
        float re = 0f;
        float im = 0f;
        int n = 0;
        while (n < MaxIterations && re * re + im * im <= 4f)
        {
            float next = re * re - im * im + x0;
            im = 2f * re * im + y0;
            re = next;
            n++;
        }
        counts[index] = n;
    }

    /// <summary>The counts, computed on <paramref name="accelerator"/>.</summary>
    public static int[] Render(Accelerator accelerator, int width, int height, float left, float top, float step)
    {
        var kernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, int, float, float, float>(Iterate);
        using var counts = accelerator.Allocate1D<int>(width * height);
        counts.MemSetToZero();
        kernel(counts.IntExtent, counts.View, width, left, top, step);
        accelerator.Synchronize();
        return counts.GetAsArray1D();
    }

    /// <summary>The same counts, as a plain C# loop (C# does not fuse multiply-adds).</summary>
    public static int[] Reference(int width, int height, float left, float top, float step)
    {
        var counts = new int[width * height];
        for (int index = 0; index < counts.Length; index++)
        {
            float x0 = left + index % width * step;
            float y0 = top + index / width * step;
            float re = 0f, im = 0f;
            int n = 0;
            while (n < MaxIterations && re * re + im * im <= 4f)
            {
                float next = re * re - im * im + x0;
                im = 2f * re * im + y0;
                re = next;
                n++;
            }
            counts[index] = n;
        }
        return counts;
    }
}
