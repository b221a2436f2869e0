namespace GpuConvNet.Training;

/// <summary>
/// Whatever wants to know of each completed epoch (report files, the console): the training loop tells it after the
/// epoch's checkpoint is saved, and knows nothing of what it does.
/// </summary>
public interface IEpochSink
{
    /// <summary>Epoch <paramref name="record"/> completed; <paramref name="history"/> holds every epoch so far, this one last.</summary>
    void EpochCompleted(EpochRecord record, IReadOnlyList<EpochRecord> history);
}

/// <summary>Several sinks as one, told in order; and a sink from a callback.</summary>
public sealed class EpochSinks(params IEpochSink[] sinks) : IEpochSink
{
    /// <summary>A sink that calls <paramref name="completed"/> with each record.</summary>
    public static IEpochSink From(Action<EpochRecord> completed) => new Callback(completed);

    /// <inheritdoc />
    public void EpochCompleted(EpochRecord record, IReadOnlyList<EpochRecord> history)
    {
        foreach (var sink in sinks)
        {
            sink.EpochCompleted(record, history);
        }
    }

    private sealed class Callback(Action<EpochRecord> completed) : IEpochSink
    {
        public void EpochCompleted(EpochRecord record, IReadOnlyList<EpochRecord> history) => completed(record);
    }
}
