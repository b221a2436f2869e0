using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;

namespace GpuConvNet.Benchmarks.Infrastructure;

/// <summary>
/// Writes <c>*-throughput.json</c> beside BenchmarkDotNet's reports: one row per case with its device and its
/// throughput (images/s for model suites, else GFLOP/s, else GB/s) — the rows <c>benchmarks/report.py</c> puts beside
/// PyTorch's (benchmarks/pytorch/bench.py writes the same format).
/// </summary>
public sealed class ThroughputExporter : ExporterBase
{
    /// <summary>The exporter.</summary>
    public static readonly ThroughputExporter Default = new();

    /// <inheritdoc />
    protected override string FileExtension => "json";

    /// <inheritdoc />
    protected override string FileCaption => "throughput";

    /// <inheritdoc />
    public override void ExportToLog(Summary summary, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(logger);
        var rows = new List<Dictionary<string, object>>();
        foreach (var report in summary.Reports)
        {
            var benchmark = report.BenchmarkCase;
            double? nanoseconds = report.ResultStatistics?.Mean;
            var workload = ThroughputColumn.Workload(benchmark);
            if (nanoseconds is not > 0 || workload is null)
            {
                continue;
            }
            double seconds = nanoseconds.Value / 1e9;
            var (value, unit) = workload.Images > 0 ? (workload.Images / seconds, "images/s")
                : workload.Flops > 0 ? (workload.Flops / seconds / 1e9, "GFLOP/s")
                : (workload.Bytes / seconds / 1e9, "GB/s");
            var parameters = benchmark.Parameters.Items.Where(p => p.Name != "Device").Select(p => $"{p.Name}={p.Value}");
            rows.Add(new()
            {
                ["suite"] = benchmark.Descriptor.Type.Name.Replace("Benchmarks", "", StringComparison.Ordinal),
                ["case"] = $"{benchmark.Descriptor.WorkloadMethod.Name} {string.Join(" ", parameters)}".Trim(),
                ["device"] = benchmark.Parameters.Items.FirstOrDefault(p => p.Name == "Device")?.Value?.ToString() ?? "",
                ["value"] = Math.Round(value, 3),
                ["unit"] = unit,
                ["meanNanoseconds"] = Math.Round(nanoseconds.Value, 1),
            });
        }
        var meta = new Dictionary<string, object>
        {
            ["machine"] = $"{Environment.ProcessorCount} threads, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["devices"] = GpuConvNet.Compute.Accelerators.All.ToDictionary(d => d.Id, d => d.Name),
        };
        logger.WriteLine(JsonSerializer.Serialize(new { meta, rows }, new JsonSerializerOptions { WriteIndented = true }));
    }
}
