using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace GpuConvNet.Benchmarks.Infrastructure;

/// <summary>GFLOP/s or GB/s of a benchmark case: its <see cref="IWorkload"/> divided by its mean time.</summary>
public sealed class ThroughputColumn : IColumn
{
    private readonly bool flops;

    private ThroughputColumn(bool flops) => this.flops = flops;

    /// <summary>The GFLOP/s column.</summary>
    public static readonly IColumn GigaFlops = new ThroughputColumn(true);

    /// <summary>The GB/s column.</summary>
    public static readonly IColumn GigaBytes = new ThroughputColumn(false);

    /// <inheritdoc />
    public string Id => ColumnName;

    /// <inheritdoc />
    public string ColumnName => flops ? "GFLOP/s" : "GB/s";

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => flops ? 0 : 1;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => flops ? "Billions of floating-point operations per second (multiply-add = 2)" : "Billions of bytes moved per second (compulsory traffic)";

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        double? seconds = report?.ResultStatistics?.Mean / 1e9;
        var workload = Workload(benchmarkCase);
        if (seconds is not > 0 || workload is null)
        {
            return "-";
        }
        double amount = flops ? workload.Flops : workload.Bytes;
        return amount > 0 ? (amount / seconds.Value / 1e9).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) : "-";
    }

    /// <summary>A fresh instance of the benchmark with this case's parameters, read as a workload.</summary>
    public static IWorkload? Workload(BenchmarkCase benchmarkCase)
    {
        var type = benchmarkCase.Descriptor.Type;
        if (!typeof(IWorkload).IsAssignableFrom(type))
        {
            return null;
        }
        var instance = Activator.CreateInstance(type)!;
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            var member = type.GetProperty(parameter.Name);
            if (member is not null)
            {
                member.SetValue(instance, parameter.Value);
            }
            else
            {
                type.GetField(parameter.Name)?.SetValue(instance, parameter.Value);
            }
        }
        return (IWorkload)instance;
    }

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
