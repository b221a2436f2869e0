namespace GpuConvNet.Benchmarks.Infrastructure;

/// <summary>Checks a kernel's output before it is timed: a wrong kernel gets no number.</summary>
public static class Verify
{
    /// <summary>Throws unless |actual − expected| ≤ atol + rtol·|expected| at every given position (NaN fails).</summary>
    public static void Close(string what, IReadOnlyList<(int Index, double Expected)> expected, ReadOnlySpan<float> actual, double atol, double rtol)
    {
        foreach (var (index, value) in expected)
        {
            double error = Math.Abs(actual[index] - value);
            if (!(error <= atol + rtol * Math.Abs(value)))
            {
                throw new InvalidOperationException(
                    $"{what}: element {index} is {actual[index]:R}, the float64 reference says {value:R}; refusing to time a wrong kernel");
            }
        }
    }
}
