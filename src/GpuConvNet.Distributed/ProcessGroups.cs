namespace GpuConvNet.Distributed;

/// <summary>
/// Whether this process is one of several that mpirun or srun started, and the group it then joins: a run started
/// without them (or with one process) is a <see cref="SingleProcess"/> and never loads MPI.
/// </summary>
public static class ProcessGroups
{
    // What each launcher sets in every process it starts: Open MPI's mpirun, Slurm's srun (the step's task count, not
    // the allocation's SLURM_NTASKS, which a plain command in a batch script also sees), and PMI launchers (MPICH's hydra).
    private static readonly string[] WorldSizeVariables = ["OMPI_COMM_WORLD_SIZE", "SLURM_STEP_NUM_TASKS", "PMI_SIZE"];

    private static MpiProcessGroup? joined;

    /// <summary>True when a launcher started this process as one of several.</summary>
    public static bool Launched => WorldSizeVariables.Any(v => int.TryParse(Environment.GetEnvironmentVariable(v), out int size) && size > 1);

    /// <summary>
    /// The group this process belongs to: the MPI job when <see cref="Launched"/> (initialised once), else this process
    /// alone.
    /// </summary>
    /// <exception cref="Compute.BackendUnavailableException">Launched as one of several, but no Open MPI library loads.</exception>
    public static IProcessGroup Join()
    {
        if (!Launched)
        {
            return SingleProcess.Instance;
        }
        joined ??= MpiProcessGroup.Initialize();
        return joined;
    }

    /// <summary>
    /// The exit code of a run the ranks agreed to stop (a signal, Ctrl+C): 128 + SIGINT, as a shell reports Ctrl+C.
    /// Every rank ends with it together, so they leave as after success.
    /// </summary>
    public const int StoppedTogether = 130;

    /// <summary>
    /// Leaves the MPI job, if this process joined one, and returns <paramref name="exitCode"/>: after success or an agreed
    /// stop (<see cref="StoppedTogether"/>) by MPI_Finalize; after a failure by MPI_Abort, which ends every rank (a rank
    /// that failed alone must not leave the others waiting in a collective), so this does not return then.
    /// </summary>
    public static int Leave(int exitCode)
    {
        if (joined is null)
        {
            return exitCode;
        }
        if (exitCode is 0 or StoppedTogether)
        {
            joined.Finish();
        }
        else
        {
            Console.Out.Flush();
            Console.Error.Flush();
            joined.Abort(exitCode);
        }
        return exitCode;
    }
}
