namespace GpuConvNet.Training;

/// <summary>
/// The ranks of a data-parallel run agreed to stop (a signal to any of them) and did, after the same batch: the
/// checkpoint of the last completed epoch is the run's (<paramref name="epochsDone"/> of <paramref name="epochs"/>; none
/// when 0). The test evaluation that one process runs after a stop is left out, because time is short: Open MPI's
/// mpirun answers Ctrl+C with SIGTERM to every rank and SIGKILL a second later, so the ranks end at once, whole.
/// </summary>
public sealed class DistributedStopException(int epochsDone, int epochs, string checkpoint)
    : Exception(epochsDone == 0
        ? "stopped before epoch 1 finished: nothing was saved"
        : $"stopped: the checkpoint holds epoch {epochsDone} of {epochs} ({checkpoint}); every rank stopped after the same batch. " +
          "No test evaluation under MPI (mpirun ends the ranks a second after Ctrl+C): gpuconvnet eval reads the checkpoint")
{
    /// <summary>Epochs the checkpoint holds.</summary>
    public int EpochsDone { get; } = epochsDone;
}
