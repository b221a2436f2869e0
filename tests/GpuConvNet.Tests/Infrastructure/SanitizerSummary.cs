using System.Globalization;
using System.Text;
using GpuConvNet.Compute;
using GpuConvNet.Compute.Oclgrind;

namespace GpuConvNet.Tests.Infrastructure;

/// <summary>
/// What the sanitizer engine covered in this run: the kernels of the library (and of the proof kernels) launched on
/// Oclgrind, how often, the ones never launched there, and every report. Written beside the test assembly as
/// <c>oclgrind-summary.txt</c>, which <c>.ci/run</c> prints.
/// </summary>
public static class SanitizerSummary
{
    /// <summary>The file's name beside the test assembly.</summary>
    public const string FileName = "oclgrind-summary.txt";

    /// <summary>Writes the summary when the tests launched anything on Oclgrind.</summary>
    public static void Write()
    {
        var launches = OclgrindSession.Launches;
        if (launches.Count == 0)
        {
            return;
        }
        var reports = OclgrindSession.Reports;
        var kernels = KernelCatalog.All.Where(k => k.Method.DeclaringType?.Name != "FaultKernels").Select(k => k.Name).Distinct().ToList();
        var covered = kernels.Where(launches.ContainsKey).ToList();
        var missing = kernels.Except(covered).ToList();
        var planted = reports.Where(r => r.Where.StartsWith("kernel FaultKernels.", StringComparison.Ordinal)).ToList();
        var findings = reports.Except(planted).ToList();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"oclgrind: {covered.Count} of {kernels.Count} kernels launched, {launches.Values.Sum():N0} launches, {findings.Count} findings; " +
            $"{planted.Count} reports from the planted bugs ({string.Join(", ", planted.Select(r => r.Where[7..]).Distinct())})");
        foreach (string kernel in missing)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  not launched on oclgrind: {kernel}");
        }
        foreach (var group in findings.GroupBy(r => r.Where))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  finding in {group.Key} ({group.Count()} reports), the first:");
            text.AppendLine("    " + group.First().Text.ReplaceLineEndings("\n    "));
        }
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, FileName), text.ToString());
    }
}
