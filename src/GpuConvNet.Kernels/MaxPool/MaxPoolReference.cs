namespace GpuConvNet.Kernels;

/// <summary>The float64 reference of <see cref="MaxPool"/>: plain loops over every window tap.</summary>
public static class MaxPoolReference
{
    /// <summary>y and argmax (flat index into x) of every window, with the layouts of <see cref="MaxPool.Forward"/>.</summary>
    public static (double[] Y, int[] Argmax) Forward(ReadOnlySpan<float> x, Pool2DShape s)
    {
        var values = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            values[i] = x[i];
        }
        return Forward(values, s);
    }

    /// <summary>As the float overload, over float64 values (what a fused op's reference pools).</summary>
    public static (double[] Y, int[] Argmax) Forward(ReadOnlySpan<double> x, Pool2DShape s)
    {
        int p = s.P, q = s.Q;
        var y = new double[s.OutputLength];
        var argmax = new int[s.OutputLength];
        for (int plane = 0; plane < s.N * s.C; plane++)
        {
            for (int op = 0; op < p; op++)
            {
                for (int oq = 0; oq < q; oq++)
                {
                    double best = double.NegativeInfinity;
                    int bestAt = -1;
                    for (int r = 0; r < s.KernelH; r++)
                    {
                        for (int c = 0; c < s.KernelW; c++)
                        {
                            int row = op * s.StrideH - s.PadH + r;
                            int col = oq * s.StrideW - s.PadW + c;
                            if (row < 0 || row >= s.H || col < 0 || col >= s.W)
                            {
                                continue;
                            }
                            int at = (plane * s.H + row) * s.W + col;
                            if (bestAt < 0 || x[at] > best)
                            {
                                best = x[at];
                                bestAt = at;
                            }
                        }
                    }
                    int o = (plane * p + op) * q + oq;
                    y[o] = best;
                    argmax[o] = bestAt;
                }
            }
        }
        return (y, argmax);
    }

    /// <summary>dx: dy scattered to each window's argmax, summed where windows share one.</summary>
    public static double[] Backward(ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Pool2DShape s)
    {
        var values = new double[dy.Length];
        for (int i = 0; i < dy.Length; i++)
        {
            values[i] = dy[i];
        }
        return Backward(values, argmax, s);
    }

    /// <summary>As the float overload, over float64 gradients.</summary>
    public static double[] Backward(ReadOnlySpan<double> dy, ReadOnlySpan<int> argmax, Pool2DShape s)
    {
        var dx = new double[s.InputLength];
        for (int o = 0; o < dy.Length; o++)
        {
            dx[argmax[o]] += dy[o];
        }
        return dx;
    }
}
