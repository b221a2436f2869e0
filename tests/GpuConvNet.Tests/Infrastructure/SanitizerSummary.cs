using System.Globalization;
using System.Text;
using GpuConvNet.Compute;
using GpuConvNet.Compute.Oclgrind;

namespace GpuConvNet.Tests.Infrastructure;

/// <summary>
/// What the sanitizer engine covered in this run: the kernels of the library (and of the proof kernels) launched on
/// Oclgrind, how often, the ones never launched there, and every report. Written beside the test assembly as
/// <c>oclgrind-summary.txt</c>, which <c>.ci/run</c> prints; its last line is <c>sanitizer: clean</c> or says what is
/// not, and <c>.ci/run</c> fails on anything but clean. Then the uninitialised-value replays
/// (<see cref="UninitialisedValueReplay"/>).
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
        var uninitialised = UninitialisedValueReplay.Run(UninitialisedValueReplay.Directory, TimeSpan.FromSeconds(30));
        if (uninitialised is null)
        {
            text.AppendLine("uninitialised values: not checked (nothing recorded, or no oclgrind-kernel)");
        }
        else
        {
            // The planted bugs read what nothing wrote too; like their in-process reports, they are expected.
            var found = uninitialised.Reports.Where(r => !r.Key.StartsWith("FaultKernels_", StringComparison.Ordinal)).ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"uninitialised values (oclgrind-kernel --uninitialized, each kernel's first launch replayed): {uninitialised.Replayed} kernels replayed, " +
                $"{found.Count} findings, {uninitialised.Reports.Count - found.Count} reports from the planted bugs, " +
                $"{uninitialised.TimedOut.Count} stopped at 30 s{(uninitialised.TimedOut.Count == 0 ? "" : ": " + string.Join(", ", uninitialised.TimedOut))}");
            foreach (var (kernel, report) in found)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  uninitialised value in {kernel}:");
                text.AppendLine("    " + report.ReplaceLineEndings("\n    "));
            }
        }
        int problems = findings.Count + (uninitialised?.Reports.Keys.Count(k => !k.StartsWith("FaultKernels_", StringComparison.Ordinal)) ?? 0);
        text.AppendLine(problems == 0 ? "sanitizer: clean" : $"sanitizer: {problems} findings");
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, FileName), text.ToString());
    }
}
