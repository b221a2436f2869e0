using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace GpuConvNet.Benchmarks.Infrastructure;

/// <summary>GFLOP/s or GB/s of a benchmark case: its <see cref="IWorkload"/> divided by its mean time.</summary>
public sealed class ThroughputColumn : IColumn
{
    private readonly Measure measure;

    private ThroughputColumn(Measure measure) => this.measure = measure;

    private enum Measure
    {
        Flops,
        Bytes,
        Images,
    }

    /// <summary>The GFLOP/s column.</summary>
    public static readonly IColumn GigaFlops = new ThroughputColumn(Measure.Flops);

    /// <summary>The GB/s column.</summary>
    public static readonly IColumn GigaBytes = new ThroughputColumn(Measure.Bytes);

    /// <summary>The images/s column (model suites).</summary>
    public static readonly IColumn ImagesPerSecond = new ThroughputColumn(Measure.Images);

    /// <inheritdoc />
    public string Id => ColumnName;

    /// <inheritdoc />
    public string ColumnName => measure switch
    {
        Measure.Flops => "GFLOP/s",
        Measure.Bytes => "GB/s",
        _ => "images/s",
    };

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => (int)measure;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => measure switch
    {
        Measure.Flops => "Billions of floating-point operations per second (multiply-add = 2)",
        Measure.Bytes => "Billions of bytes moved per second (compulsory traffic)",
        _ => "Images per second",
    };

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
        double amount = measure switch
        {
            Measure.Flops => workload.Flops / 1e9,
            Measure.Bytes => workload.Bytes / 1e9,
            _ => workload.Images,
        };
        return amount > 0 ? (amount / seconds.Value).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) : "-";
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
