namespace GpuConvNet.Kernels;

/// <summary>
/// The float64 reference of <see cref="Conv2D"/>: plain loops over the definition, accumulating in double, with the
/// layouts of <see cref="Conv2DShape"/> (x (N, C, H, W), weights (K, C, R, S), y (N, K, P, Q)).
/// </summary>
public static class Conv2DReference
{
    /// <summary>y[n, k, p, q] = Σ_c,r,s x[n, c, p·stride + r − pad, q·stride + s − pad]·weights[k, c, r, s] [+ bias[k]] [ReLU].</summary>
    public static double[] Forward(Conv2DShape shape, ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias = default, bool relu = false)
    {
        var (n, c, h, w, k, r, s, stride, pad) = shape;
        int outHeight = shape.P, outWidth = shape.Q;
        var y = new double[shape.YLength];
        for (int b = 0; b < n; b++)
        {
            for (int o = 0; o < k; o++)
            {
                for (int p = 0; p < outHeight; p++)
                {
                    for (int q = 0; q < outWidth; q++)
                    {
                        double sum = bias.IsEmpty ? 0 : bias[o];
                        for (int i = 0; i < c; i++)
                        {
                            for (int u = 0; u < r; u++)
                            {
                                for (int v = 0; v < s; v++)
                                {
                                    int row = p * stride + u - pad, column = q * stride + v - pad;
                                    if (row >= 0 && row < h && column >= 0 && column < w)
                                    {
                                        sum += (double)x[((b * c + i) * h + row) * w + column] * weights[((o * c + i) * r + u) * s + v];
                                    }
                                }
                            }
                        }
                        y[((b * k + o) * outHeight + p) * outWidth + q] = relu ? Math.Max(sum, 0) : sum;
                    }
                }
            }
        }
        return y;
    }

    /// <summary>
    /// dx = ∂L/∂x for L = Σ y ⊙ dy (no activation): scatters dy[n, k, p, q]·weights[k, c, r, s] to every input pixel
    /// the forward read — the adjoint written the other way round from the kernels, which gather.
    /// </summary>
    public static double[] BackwardData(Conv2DShape shape, ReadOnlySpan<float> dy, ReadOnlySpan<float> weights)
    {
        var (n, c, h, w, k, r, s, stride, pad) = shape;
        int outHeight = shape.P, outWidth = shape.Q;
        var dx = new double[shape.XLength];
        for (int b = 0; b < n; b++)
        {
            for (int o = 0; o < k; o++)
            {
                for (int p = 0; p < outHeight; p++)
                {
                    for (int q = 0; q < outWidth; q++)
                    {
                        double g = dy[((b * k + o) * outHeight + p) * outWidth + q];
                        for (int i = 0; i < c; i++)
                        {
                            for (int u = 0; u < r; u++)
                            {
                                for (int v = 0; v < s; v++)
                                {
                                    int row = p * stride + u - pad, column = q * stride + v - pad;
                                    if (row >= 0 && row < h && column >= 0 && column < w)
                                    {
                                        dx[((b * c + i) * h + row) * w + column] += g * weights[((o * c + i) * r + u) * s + v];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    /// <summary>dW[k, c, r, s] = Σ_n,p,q x[n, c, p·stride + r − pad, q·stride + s − pad]·dy[n, k, p, q].</summary>
    public static double[] BackwardWeights(Conv2DShape shape, ReadOnlySpan<float> x, ReadOnlySpan<float> dy)
    {
        var (n, c, h, w, k, r, s, stride, pad) = shape;
        int outHeight = shape.P, outWidth = shape.Q;
        var dWeights = new double[shape.WeightsLength];
        for (int b = 0; b < n; b++)
        {
            for (int o = 0; o < k; o++)
            {
                for (int p = 0; p < outHeight; p++)
                {
                    for (int q = 0; q < outWidth; q++)
                    {
                        double g = dy[((b * k + o) * outHeight + p) * outWidth + q];
                        for (int i = 0; i < c; i++)
                        {
                            for (int u = 0; u < r; u++)
                            {
                                for (int v = 0; v < s; v++)
                                {
                                    int row = p * stride + u - pad, column = q * stride + v - pad;
                                    if (row >= 0 && row < h && column >= 0 && column < w)
                                    {
                                        dWeights[((o * c + i) * r + u) * s + v] += g * x[((b * c + i) * h + row) * w + column];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dWeights;
    }

    /// <summary>db[k] = Σ_n,p,q dy[n, k, p, q].</summary>
    public static double[] BiasGradient(Conv2DShape shape, ReadOnlySpan<float> dy)
    {
        int plane = shape.P * shape.Q;
        var dBias = new double[shape.K];
        for (int b = 0; b < shape.N; b++)
        {
            for (int o = 0; o < shape.K; o++)
            {
                for (int j = 0; j < plane; j++)
                {
                    dBias[o] += dy[(b * shape.K + o) * plane + j];
                }
            }
        }
        return dBias;
    }
}
