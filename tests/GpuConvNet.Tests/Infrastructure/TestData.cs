using GpuConvNet.Compute;

namespace GpuConvNet.Tests.Infrastructure;

/// <summary>Seeded inputs, NaN-poisoned outputs, and tolerance checks against float64 references.</summary>
public static class TestData
{
    /// <summary><paramref name="count"/> uniform floats in [<paramref name="low"/>, <paramref name="high"/>) from <paramref name="seed"/>.</summary>
    public static float[] Uniform(int count, int seed, float low = -1f, float high = 1f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = low + (float)random.NextDouble() * (high - low);
        }
        return values;
    }

    /// <summary>A buffer of <paramref name="length"/> NaNs: elements a kernel fails to write stay NaN and fail the check.</summary>
    public static MemoryBuffer<float> Poisoned(Accelerator accelerator, int length)
    {
        var buffer = accelerator.Allocate<float>(length);
        buffer.Fill(float.NaN);
        return buffer;
    }

    /// <summary>
    /// Asserts |actual − expected| ≤ atol + rtol·|expected| element-wise; NaN never passes. The message gives the
    /// number of mismatches and the worst one.
    /// </summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double atol, double rtol, string what)
    {
        Assert.AreEqual(expected.Length, actual.Length, $"{what}: length");
        int bad = 0;
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            double allowed = atol + rtol * Math.Abs(expected[i]);
            if (!(error <= allowed))
            {
                bad++;
                double excess = double.IsNaN(error) ? double.PositiveInfinity : error / allowed;
                if (worst < 0 || excess > worstExcess)
                {
                    worst = i;
                    worstExcess = excess;
                }
            }
        }
        if (bad > 0)
        {
            Assert.Fail($"{what}: {bad} of {expected.Length} elements off; worst at [{worst}]: expected {expected[worst]:R}, got {actual[worst]:R} (atol {atol}, rtol {rtol})");
        }
    }
}
