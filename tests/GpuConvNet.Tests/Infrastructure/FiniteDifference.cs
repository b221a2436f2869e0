namespace GpuConvNet.Tests.Infrastructure;

/// <summary>
/// Central finite differences in float64: checks a reference backward against its reference forward, so that
/// kernels compared with the reference backward are, in turn, right about gradients.
/// </summary>
public static class FiniteDifference
{
    /// <summary>
    /// d loss / d input[i] for every i, where loss = Σ forward(input) ⊙ upstream (a fixed random projection of the
    /// output): (loss(x + h·eᵢ) − loss(x − h·eᵢ)) / 2h.
    /// </summary>
    public static double[] Gradient(Func<double[], double[]> forward, double[] input, double[] upstream, double h = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(input);
        var x = (double[])input.Clone();
        var gradient = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double saved = x[i];
            x[i] = saved + h;
            double plus = Dot(forward(x), upstream);
            x[i] = saved - h;
            double minus = Dot(forward(x), upstream);
            x[i] = saved;
            gradient[i] = (plus - minus) / (2 * h);
        }
        return gradient;
    }

    /// <summary>Asserts two float64 gradients agree to |a − b| ≤ atol + rtol·|b|.</summary>
    public static void AssertClose(double[] expected, double[] actual, string what, double atol = 1e-6, double rtol = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        Assert.AreEqual(expected.Length, actual.Length, $"{what}: length");
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            if (!(error <= atol + rtol * Math.Abs(expected[i])))
            {
                Assert.Fail($"{what}: element {i}: finite differences give {expected[i]:R}, the backward gives {actual[i]:R}");
            }
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
