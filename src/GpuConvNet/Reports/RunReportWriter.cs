using GpuConvNet.Training;

namespace GpuConvNet.Reports;

/// <summary>
/// Writes a run's reports after every epoch, each atomically: <c>history.csv</c>, <c>history.json</c> and
/// <c>learning-curves.png</c> and <c>.svg</c> in <paramref name="directory"/>.
/// </summary>
public sealed class RunReportWriter(string directory, string title) : IEpochSink
{
    /// <inheritdoc />
    public void EpochCompleted(EpochRecord record, IReadOnlyList<EpochRecord> history)
    {
        HistoryWriter.Write(Path.Combine(directory, "history"), history);
        LearningCurves.Write(directory, history, title);
    }
}
