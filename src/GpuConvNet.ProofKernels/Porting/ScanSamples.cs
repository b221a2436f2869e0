// An ILGPU program, unchanged: here GpuConvNet.Compute's types answer to ILGPU's names (IlgpuSource.targets), and
// tests/GpuConvNet.Porting.IlgpuTests compiles this same file against ILGPU itself and runs it on ILGPU's CPU accelerator.
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;

namespace GpuConvNet.ProofKernels.Porting;

/// <summary>
/// ILGPU.Algorithms' group and warp reductions and scans, in its idiom (<c>GroupExtensions.Reduce&lt;float, AddFloat&gt;</c>):
/// a group prefix sum, group statistics (a float sum, a max, a min, a running max) and the same per warp. The grid is
/// rounded up to whole groups; lanes past the end take part with the operation's identity and write nothing.
/// </summary>
public class ScanSamples
{
    static void PrefixSumsKernel(ArrayView<int> counts, ArrayView<int> exclusive, ArrayView<int> inclusive)
    {
        int i = Grid.GlobalIndex.X;
        int count = i < counts.IntLength ? counts[i] : 0;
        int before = GroupExtensions.ExclusiveScan<int, AddInt32>(count);
        int upTo = GroupExtensions.InclusiveScan<int, AddInt32>(count);
        if (i < counts.IntLength)
        {
            exclusive[i] = before;
            inclusive[i] = upTo;
        }
    }

    static void GroupStatisticsKernel(ArrayView<float> values, ArrayView<float> sums, ArrayView<float> maxima, ArrayView<int> minima, ArrayView<float> runningMax)
    {
        int i = Grid.GlobalIndex.X;
        bool inside = i < values.IntLength;
        float v = inside ? values[i] : 0f;
        float sum = GroupExtensions.Reduce<float, AddFloat>(v);
        float max = GroupExtensions.AllReduce<float, MaxFloat>(inside ? v : float.MinValue);
        int min = GroupExtensions.Reduce<int, MinInt32>(inside ? (int)(v * 1000f) : int.MaxValue);
        float running = GroupExtensions.InclusiveScan<float, MaxFloat>(inside ? v : float.MinValue);
        // Reduce promises its result to the group's first warp only; AllReduce to every lane.
        if (Group.IsFirstThread)
        {
            sums[Grid.IdxX] = sum;
            minima[Grid.IdxX] = min;
        }
        if (Group.IsLastThread)
        {
            maxima[Grid.IdxX] = max;
        }
        if (inside)
        {
            runningMax[i] = running;
        }
    }

    static void WarpStatisticsKernel(ArrayView<int> counts, ArrayView<float> values, ArrayView<int> sums, ArrayView<float> maxima,
        ArrayView<float> minima, ArrayView<int> exclusive, ArrayView<uint> runningMax)
    {
        int i = Grid.GlobalIndex.X;
        bool inside = i < counts.IntLength;
        int count = inside ? counts[i] : 0;
        float v = inside ? values[i] : 0f;
        int sum = WarpExtensions.Reduce<int, AddInt32>(count);
        float max = WarpExtensions.AllReduce<float, MaxFloat>(inside ? v : float.MinValue);
        float min = WarpExtensions.AllReduce<float, MinFloat>(inside ? v : float.MaxValue);
        int before = WarpExtensions.ExclusiveScan<int, AddInt32>(count);
        uint highest = WarpExtensions.InclusiveScan<uint, MaxUInt32>((uint)count);
        // Reduce promises its result to lane 0 only; AllReduce to every lane.
        int warp = i / Warp.WarpSize;
        if (Warp.IsFirstLane)
        {
            sums[warp] = sum;
            minima[warp] = min;
        }
        if (Warp.IsLastLane)
        {
            maxima[warp] = max;
        }
        if (inside)
        {
            exclusive[i] = before;
            runningMax[i] = highest;
        }
    }

    /// <summary>Per group of <paramref name="groupSize"/> lanes, the sums of the counts before each and up to each.</summary>
    public static (int[] Exclusive, int[] Inclusive) PrefixSums(Accelerator accelerator, int[] counts, int groupSize)
    {
        var kernel = accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<int>, ArrayView<int>>(PrefixSumsKernel);
        using var input = accelerator.Allocate1D(counts);
        using var exclusive = accelerator.Allocate1D<int>(counts.Length);
        using var inclusive = accelerator.Allocate1D<int>(counts.Length);
        kernel((Groups(counts.Length, groupSize), groupSize), input.View, exclusive.View, inclusive.View);
        accelerator.Synchronize();
        return (exclusive.GetAsArray1D(), inclusive.GetAsArray1D());
    }

    /// <summary>Per group: the float sum, the max, the min of (int)(1000·value); per value, the max up to it in its group.</summary>
    public static (float[] Sums, float[] Maxima, int[] Minima, float[] RunningMax) GroupStatistics(Accelerator accelerator, float[] values, int groupSize)
    {
        var kernel = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>>(GroupStatisticsKernel);
        int groups = Groups(values.Length, groupSize);
        using var input = accelerator.Allocate1D(values);
        using var sums = accelerator.Allocate1D<float>(groups);
        using var maxima = accelerator.Allocate1D<float>(groups);
        using var minima = accelerator.Allocate1D<int>(groups);
        using var running = accelerator.Allocate1D<float>(values.Length);
        kernel((groups, groupSize), input.View, sums.View, maxima.View, minima.View, running.View);
        accelerator.Synchronize();
        return (sums.GetAsArray1D(), maxima.GetAsArray1D(), minima.GetAsArray1D(), running.GetAsArray1D());
    }

    /// <summary>
    /// Per warp: the sum of the counts, the max and min value; per value, the sum of the counts before it and the max
    /// count up to it in its warp. Groups of <paramref name="groupSize"/> lanes, a whole number of warps.
    /// </summary>
    public static (int[] Sums, float[] Maxima, float[] Minima, int[] Exclusive, uint[] RunningMax) WarpStatistics(
        Accelerator accelerator, int[] counts, float[] values, int groupSize)
    {
        var kernel = accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<uint>>(WarpStatisticsKernel);
        int groups = Groups(counts.Length, groupSize);
        int warps = groups * groupSize / accelerator.WarpSize;
        using var countInput = accelerator.Allocate1D(counts);
        using var valueInput = accelerator.Allocate1D(values);
        using var sums = accelerator.Allocate1D<int>(warps);
        using var maxima = accelerator.Allocate1D<float>(warps);
        using var minima = accelerator.Allocate1D<float>(warps);
        using var exclusive = accelerator.Allocate1D<int>(counts.Length);
        using var running = accelerator.Allocate1D<uint>(counts.Length);
        kernel((groups, groupSize), countInput.View, valueInput.View, sums.View, maxima.View, minima.View, exclusive.View, running.View);
        accelerator.Synchronize();
        return (sums.GetAsArray1D(), maxima.GetAsArray1D(), minima.GetAsArray1D(), exclusive.GetAsArray1D(), running.GetAsArray1D());
    }

    /// <summary><see cref="PrefixSums(Accelerator, int[], int)"/> as a plain C# loop.</summary>
    public static (int[] Exclusive, int[] Inclusive) PrefixSumsReference(int[] counts, int groupSize)
    {
        var exclusive = new int[counts.Length];
        var inclusive = new int[counts.Length];
        int sum = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            sum = i % groupSize == 0 ? 0 : sum;
            exclusive[i] = sum;
            sum += counts[i];
            inclusive[i] = sum;
        }
        return (exclusive, inclusive);
    }

    /// <summary>
    /// <see cref="GroupStatistics(Accelerator, float[], int)"/> as a plain C# loop; the sums exact (accumulated in double,
    /// then rounded), with Σ|value| per group beside them for the caller's tolerance.
    /// </summary>
    public static (double[] Sums, double[] AbsoluteSums, float[] Maxima, int[] Minima, float[] RunningMax) GroupStatisticsReference(float[] values, int groupSize)
    {
        int groups = Groups(values.Length, groupSize);
        var sums = new double[groups];
        var absolute = new double[groups];
        var maxima = Enumerable.Repeat(float.MinValue, groups).ToArray();
        var minima = Enumerable.Repeat(int.MaxValue, groups).ToArray();
        var running = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            int g = i / groupSize;
            sums[g] += values[i];
            absolute[g] += Math.Abs(values[i]);
            maxima[g] = Math.Max(maxima[g], values[i]);
            minima[g] = Math.Min(minima[g], (int)(values[i] * 1000f));
            running[i] = maxima[g];
        }
        return (sums, absolute, maxima, minima, running);
    }

    /// <summary><see cref="WarpStatistics"/> as a plain C# loop, warps of <paramref name="warpSize"/> lanes.</summary>
    public static (int[] Sums, float[] Maxima, float[] Minima, int[] Exclusive, uint[] RunningMax) WarpStatisticsReference(
        int[] counts, float[] values, int groupSize, int warpSize)
    {
        int warps = Groups(counts.Length, groupSize) * groupSize / warpSize;
        var sums = new int[warps];
        var maxima = Enumerable.Repeat(float.MinValue, warps).ToArray();
        var minima = Enumerable.Repeat(float.MaxValue, warps).ToArray();
        var exclusive = new int[counts.Length];
        var running = new uint[counts.Length];
        uint highest = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            int w = i / warpSize;
            highest = i % warpSize == 0 ? 0 : highest;
            exclusive[i] = sums[w];
            sums[w] += counts[i];
            highest = Math.Max(highest, (uint)counts[i]);
            running[i] = highest;
            maxima[w] = Math.Max(maxima[w], values[i]);
            minima[w] = Math.Min(minima[w], values[i]);
        }
        return (sums, maxima, minima, exclusive, running);
    }

    /// <summary>Signed values of magnitudes 10⁻³ to 10³ from <paramref name="seed"/>, so that the order of a float sum changes its rounding.</summary>
    public static float[] SpreadMagnitudes(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2 - 1) * Math.Pow(10, random.Next(-3, 4)))).ToArray();
    }

    private static int Groups(int length, int groupSize) => (length + groupSize - 1) / groupSize;
}
