namespace GpuConvNet.Cli;

/// <summary>
/// What Ctrl+C means during a run: the first press asks the run to stop after the current batch (the last completed
/// epoch's files stay as they are, and in one process the test evaluation and report still follow); a second press ends the process at
/// once — safe, because every file is written atomically, so nothing is left half-written.
/// </summary>
public sealed class StopRequests : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private int presses;

    /// <summary>Cancelled by the first press.</summary>
    public CancellationToken Token => stop.Token;

    /// <summary>
    /// A press of Ctrl+C: true while the process should go on (the first press, which cancels <see cref="Token"/>),
    /// false from the second on (let the runtime end the process).
    /// </summary>
    public bool Press()
    {
        if (Interlocked.Increment(ref presses) == 1)
        {
            stop.Cancel();
            return true;
        }
        return false;
    }

    /// <inheritdoc />
    public void Dispose() => stop.Dispose();
}
