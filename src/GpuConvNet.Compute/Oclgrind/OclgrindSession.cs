namespace GpuConvNet.Compute.Oclgrind;

/// <summary>
/// What every Oclgrind accelerator of this process launched and reported, as compute-sanitizer sums up at exit: the
/// kernels the sanitizer has covered, how often, and its reports.
/// </summary>
public static class OclgrindSession
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, int> LaunchCounts = new(StringComparer.Ordinal);
    private static readonly List<OclgrindReport> AllReports = [];

    /// <summary>How many times each kernel (<c>Type.Method</c>) was launched on Oclgrind in this process.</summary>
    public static IReadOnlyDictionary<string, int> Launches
    {
        get
        {
            lock (Gate)
            {
                return new Dictionary<string, int>(LaunchCounts, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Every report of this process, in order.</summary>
    public static IReadOnlyList<OclgrindReport> Reports
    {
        get
        {
            lock (Gate)
            {
                return AllReports.ToArray();
            }
        }
    }

    internal static void Launched(string kernel)
    {
        lock (Gate)
        {
            LaunchCounts[kernel] = LaunchCounts.GetValueOrDefault(kernel) + 1;
        }
    }

    internal static void Reported(IEnumerable<OclgrindReport> reports)
    {
        lock (Gate)
        {
            AllReports.AddRange(reports);
        }
    }
}
