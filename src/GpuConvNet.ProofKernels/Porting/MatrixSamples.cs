// An ILGPU program, unchanged: here GpuConvNet.Compute's types answer to ILGPU's names (IlgpuSource.targets), and
// tests/GpuConvNet.Porting.IlgpuTests compiles this same file against ILGPU itself and runs it on ILGPU's CPU accelerator.
using ILGPU;
using ILGPU.Runtime;

namespace GpuConvNet.ProofKernels.Porting;

/// <summary>
/// ILGPU's matrix samples, in its idiom: 2-D views with X dense and with Y dense, indexed by the kernel's Index2D and
/// by <c>new Index2D(x, y)</c>; host arrays are <c>T[X, Y]</c>, read as <c>array[x, y]</c>.
/// </summary>
public class MatrixSamples
{
    static void MultiplyNaive(Index2D index, ArrayView2D<float, Stride2D.DenseX> a, ArrayView2D<float, Stride2D.DenseX> b,
        ArrayView2D<float, Stride2D.DenseX> c)
    {
        float sum = 0f;
        for (int k = 0; k < a.IntExtent.Y; k++)
        {
            sum += a[new Index2D(index.X, k)] * b[new Index2D(k, index.Y)];
        }
        c[index] = sum;
    }

    static void ScaleIntoColumns(Index2D index, ArrayView2D<int, Stride2D.DenseX> input, ArrayView2D<int, Stride2D.DenseY> output)
    {
        output[index] = 2 * input[index] + (int)input.Length - (int)output.Length;
    }

    /// <summary>c[x, y] = Σₖ a[x, k] · b[k, y], k ascending, in float.</summary>
    public static float[,] Multiply(Accelerator accelerator, float[,] a, float[,] b)
    {
        var kernel = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView2D<float, Stride2D.DenseX>,
            ArrayView2D<float, Stride2D.DenseX>, ArrayView2D<float, Stride2D.DenseX>>(MultiplyNaive);
        using var da = accelerator.Allocate2DDenseX<float>(new Index2D(a.GetLength(0), a.GetLength(1)));
        using var db = accelerator.Allocate2DDenseX<float>(new Index2D(b.GetLength(0), b.GetLength(1)));
        using var dc = accelerator.Allocate2DDenseX<float>(new Index2D(a.GetLength(0), b.GetLength(1)));
        da.CopyFromCPU(a);
        db.CopyFromCPU(b);
        kernel(dc.IntExtent, da.View, db.View, dc.View);
        accelerator.Synchronize();
        return dc.GetAsArray2D();
    }

    /// <summary><see cref="Multiply"/>, as a plain C# loop.</summary>
    public static float[,] MultiplyReference(float[,] a, float[,] b)
    {
        var c = new float[a.GetLength(0), b.GetLength(1)];
        for (int x = 0; x < c.GetLength(0); x++)
        {
            for (int y = 0; y < c.GetLength(1); y++)
            {
                float sum = 0f;
                for (int k = 0; k < a.GetLength(1); k++)
                {
                    sum += a[x, k] * b[k, y];
                }
                c[x, y] = sum;
            }
        }
        return c;
    }

    /// <summary>2 · input, through a Y-dense buffer (element (x, y) at x · Y + y), as a <c>T[X, Y]</c>.</summary>
    public static int[,] DoubleIntoColumns(Accelerator accelerator, int[,] input)
    {
        var kernel = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView2D<int, Stride2D.DenseX>, ArrayView2D<int, Stride2D.DenseY>>(ScaleIntoColumns);
        var extent = new Index2D(input.GetLength(0), input.GetLength(1));
        using var rows = accelerator.Allocate2DDenseX<int>(extent);
        using var columns = accelerator.Allocate2DDenseY<int>(extent);
        rows.CopyFromCPU(input);
        kernel(extent, rows.View, columns.View);
        accelerator.Synchronize();
        return columns.GetAsArray2D();
    }
}
