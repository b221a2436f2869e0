using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Reductions over the lanes of a group (along X) for explicitly grouped kernels, as group functions: every lane of the
/// group calls one, as a statement of its own, with its value and the same shared view of at least Group.DimX elements
/// (Group.DimX a power of 2); every lane gets the result, and the view may be written again at once. A tree in shared
/// memory: log2(DimX) halving steps, each closed by a barrier, and a last barrier once everyone has read the result.
/// </summary>
public static class GroupReduce
{
    /// <summary>Σ value over the group's lanes.</summary>
    [KernelFunction]
    public static float Sum(ArrayView<float> scratch, float value)
    {
        int lane = Group.IdxX;
        scratch[lane] = value;
        Group.Barrier();
        for (int stride = Group.DimX / 2; stride > 0; stride >>= 1)
        {
            if (lane < stride)
            {
                scratch[lane] += scratch[lane + stride];
            }
            Group.Barrier();
        }
        float total = scratch[0];
        Group.Barrier();
        return total;
    }

    /// <summary>Σ value over the group's lanes, in integers.</summary>
    [KernelFunction]
    public static int SumInt(ArrayView<int> scratch, int value)
    {
        int lane = Group.IdxX;
        scratch[lane] = value;
        Group.Barrier();
        for (int stride = Group.DimX / 2; stride > 0; stride >>= 1)
        {
            if (lane < stride)
            {
                scratch[lane] += scratch[lane + stride];
            }
            Group.Barrier();
        }
        int total = scratch[0];
        Group.Barrier();
        return total;
    }

    /// <summary>max of value over the group's lanes; NaN if any lane's value is NaN (<see cref="NanMax"/>).</summary>
    [KernelFunction]
    public static float Max(ArrayView<float> scratch, float value)
    {
        int lane = Group.IdxX;
        scratch[lane] = value;
        Group.Barrier();
        for (int stride = Group.DimX / 2; stride > 0; stride >>= 1)
        {
            if (lane < stride)
            {
                scratch[lane] = NanMax(scratch[lane], scratch[lane + stride]);
            }
            Group.Barrier();
        }
        float max = scratch[0];
        Group.Barrier();
        return max;
    }

    /// <summary>max(a, b) that propagates a NaN b (MathF.Max is C's fmax, which drops NaN: a NaN logit must make its row NaN).</summary>
    [KernelFunction]
    public static float NanMax(float a, float b)
    {
        // b wins when it is larger or NaN, unless a is NaN already.
        return IsNan(a) || b <= a ? a : b;
    }

    /// <summary>v is NaN (the only value not ≥ −∞).</summary>
    [KernelFunction]
    public static bool IsNan(float v)
    {
        return !(v >= float.NegativeInfinity);
    }
}
