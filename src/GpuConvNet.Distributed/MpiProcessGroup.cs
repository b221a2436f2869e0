namespace GpuConvNet.Distributed;

/// <summary>
/// MPI_COMM_WORLD as a process group, every call checked. Errors return (MPI_ERRORS_RETURN) instead of aborting inside
/// the library, so a failed collective — a peer that died — becomes a <see cref="Compute.NativeCallException"/> that
/// names the call, and the process ends non-zero.
/// </summary>
public sealed unsafe class MpiProcessGroup : IProcessGroup
{
    private readonly MpiLibrary mpi;
    private readonly nint world;

    private MpiProcessGroup(MpiLibrary mpi)
    {
        this.mpi = mpi;
        world = mpi.CommWorld;
        int rank, size;
        mpi.Check(mpi.CommSetErrhandler(world, mpi.ErrorsReturn), "MPI_Comm_set_errhandler");
        mpi.Check(mpi.CommRank(world, &rank), "MPI_Comm_rank");
        mpi.Check(mpi.CommSize(world, &size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
        LocalRank = RankOnThisMachine();
    }

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int Size { get; }

    /// <inheritdoc />
    public int LocalRank { get; }

    /// <summary>Loads Open MPI and initialises it (MPI_Init): the process joins the job mpirun or srun started.</summary>
    /// <exception cref="Compute.BackendUnavailableException">No Open MPI library loads.</exception>
    public static MpiProcessGroup Initialize()
    {
        var mpi = MpiLibrary.Load();
        int initialized;
        mpi.Check(mpi.Initialized(&initialized), "MPI_Initialized");
        if (initialized == 0)
        {
            mpi.Check(mpi.Init(null, 0), "MPI_Init");
        }
        return new MpiProcessGroup(mpi);
    }

    /// <inheritdoc />
    public void Sum(Span<float> values)
    {
        fixed (float* p = values)
        {
            mpi.Check(mpi.Allreduce(MpiLibrary.InPlace, p, values.Length, mpi.Float, mpi.OpSum, world), "MPI_Allreduce");
        }
    }

    /// <inheritdoc />
    public void Sum(Span<double> values)
    {
        fixed (double* p = values)
        {
            mpi.Check(mpi.Allreduce(MpiLibrary.InPlace, p, values.Length, mpi.Double, mpi.OpSum, world), "MPI_Allreduce");
        }
    }

    /// <inheritdoc />
    public void Sum(Span<int> values) => Reduce(values, mpi.OpSum);

    /// <inheritdoc />
    public void Min(Span<int> values) => Reduce(values, mpi.OpMin);

    /// <inheritdoc />
    public void Broadcast(Span<byte> data)
    {
        fixed (byte* p = data)
        {
            mpi.Check(mpi.Bcast(p, data.Length, mpi.Byte, 0, world), "MPI_Bcast");
        }
    }

    /// <inheritdoc />
    public void Broadcast(Span<float> values)
    {
        fixed (float* p = values)
        {
            mpi.Check(mpi.Bcast(p, values.Length, mpi.Float, 0, world), "MPI_Bcast");
        }
    }

    /// <summary>Leaves the job cleanly (MPI_Finalize): only when every rank finishes the same way, as it waits for them all.</summary>
    public void Finish() => mpi.Check(mpi.Finalize(), "MPI_Finalize");

    /// <summary>
    /// Ends every rank of the job with <paramref name="exitCode"/> (MPI_Abort): what a rank does after a failure, so that
    /// no other rank waits for it forever in a collective.
    /// </summary>
    public void Abort(int exitCode) => mpi.Check(mpi.Abort(world, exitCode), "MPI_Abort");

    private void Reduce(Span<int> values, nint operation)
    {
        fixed (int* p = values)
        {
            mpi.Check(mpi.Allreduce(MpiLibrary.InPlace, p, values.Length, mpi.Int, operation, world), "MPI_Allreduce");
        }
    }

    // The ranks that share this machine's memory, whatever started them (mpirun, srun, MPICH's hydra): the local rank.
    private int RankOnThisMachine()
    {
        nint node;
        int rank;
        mpi.Check(mpi.CommSplitType(world, MpiLibrary.CommTypeShared, Rank, mpi.InfoNull, &node), "MPI_Comm_split_type");
        try
        {
            mpi.Check(mpi.CommRank(node, &rank), "MPI_Comm_rank");
        }
        finally
        {
            mpi.Check(mpi.CommFree(&node), "MPI_Comm_free");
        }
        return rank;
    }
}
