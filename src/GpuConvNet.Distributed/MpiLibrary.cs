using System.Runtime.InteropServices;
using System.Text;
using GpuConvNet.Compute;

namespace GpuConvNet.Distributed;

/// <summary>
/// The Open MPI entry points the process group uses, bound by hand from <c>libmpi</c>'s exports. Open MPI's handles
/// (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>, …) are the addresses of global objects such as
/// <c>ompi_mpi_comm_world</c>, read here with <see cref="NativeLibrary.GetExport"/>; MPICH's are integers, so a library
/// without those exports is refused by name. <see cref="Check"/> turns every non-zero return into a
/// <see cref="NativeCallException"/> naming the call and MPI's own error string.
/// </summary>
internal sealed unsafe class MpiLibrary
{
    private const int Success = 0;

    // mpi.h: MPI_MAX_ERROR_STRING (OPAL_MAX_ERROR_STRING) is 256, MPI_IN_PLACE is (void *) 1, and
    // MPI_COMM_TYPE_SHARED is the first value of its enum.
    private const int MaxErrorString = 256;
    public const int CommTypeShared = 0;
    public static readonly void* InPlace = (void*)1;

    // Open MPI 3, 4 and 5 all ship libmpi.so.40; the unversioned name comes with libopenmpi-dev.
    private static readonly string[] Candidates = ["libmpi.so.40", "libmpi.so", "libmpi.40.dylib", "libmpi.dylib"];

    private readonly delegate* unmanaged<int, byte*, int*, int> errorString;

    private MpiLibrary(nint library)
    {
        nint Export(string name) => NativeLibrary.TryGetExport(library, name, out var address)
            ? address
            : throw new BackendUnavailableException($"the MPI library has no {name}: GpuConvNet binds Open MPI (3 to 5), whose handles are exported objects; install openmpi-bin and libopenmpi-dev");
        CommWorld = Export("ompi_mpi_comm_world");
        Float = Export("ompi_mpi_float");
        Double = Export("ompi_mpi_double");
        Int = Export("ompi_mpi_int");
        Byte = Export("ompi_mpi_byte");
        OpSum = Export("ompi_mpi_op_sum");
        OpMin = Export("ompi_mpi_op_min");
        ErrorsReturn = Export("ompi_mpi_errors_return");
        InfoNull = Export("ompi_mpi_info_null");
        Initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
        Init = (delegate* unmanaged<int*, nint, int>)Export("MPI_Init");
        Finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        Abort = (delegate* unmanaged<nint, int, int>)Export("MPI_Abort");
        CommRank = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_rank");
        CommSize = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_size");
        CommSetErrhandler = (delegate* unmanaged<nint, nint, int>)Export("MPI_Comm_set_errhandler");
        CommSplitType = (delegate* unmanaged<nint, int, int, nint, nint*, int>)Export("MPI_Comm_split_type");
        CommFree = (delegate* unmanaged<nint*, int>)Export("MPI_Comm_free");
        Allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Export("MPI_Allreduce");
        Bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Export("MPI_Bcast");
        errorString = (delegate* unmanaged<int, byte*, int*, int>)Export("MPI_Error_string");
    }

    public nint CommWorld { get; }
    public nint Float { get; }
    public nint Double { get; }
    public nint Int { get; }
    public nint Byte { get; }
    public nint OpSum { get; }
    public nint OpMin { get; }
    public nint ErrorsReturn { get; }
    public nint InfoNull { get; }

    public delegate* unmanaged<int*, int> Initialized { get; }
    public delegate* unmanaged<int*, nint, int> Init { get; }
    public delegate* unmanaged<int> Finalize { get; }
    public delegate* unmanaged<nint, int, int> Abort { get; }
    public delegate* unmanaged<nint, int*, int> CommRank { get; }
    public delegate* unmanaged<nint, int*, int> CommSize { get; }
    public delegate* unmanaged<nint, nint, int> CommSetErrhandler { get; }
    public delegate* unmanaged<nint, int, int, nint, nint*, int> CommSplitType { get; }
    public delegate* unmanaged<nint*, int> CommFree { get; }
    public delegate* unmanaged<void*, void*, int, nint, nint, nint, int> Allreduce { get; }
    public delegate* unmanaged<void*, int, nint, int, nint, int> Bcast { get; }

    /// <summary>Loads Open MPI's library, or throws <see cref="BackendUnavailableException"/> naming the files tried.</summary>
    public static MpiLibrary Load()
    {
        foreach (var file in Candidates)
        {
            if (NativeLibrary.TryLoad(file, out var handle))
            {
                return new MpiLibrary(handle);
            }
        }
        throw new BackendUnavailableException($"this process was started by mpirun or srun, but no MPI library loads (tried {string.Join(", ", Candidates)}): install openmpi-bin and libopenmpi-dev");
    }

    /// <summary>Throws a <see cref="NativeCallException"/> naming <paramref name="call"/> and MPI's error string unless <paramref name="code"/> is MPI_SUCCESS.</summary>
    public void Check(int code, string call)
    {
        if (code != Success)
        {
            throw new NativeCallException(call, ErrorString(code), code);
        }
    }

    private string ErrorString(int code)
    {
        byte* text = stackalloc byte[MaxErrorString + 1];
        int length = 0;
        return errorString(code, text, &length) == Success
            ? Encoding.ASCII.GetString(text, Math.Clamp(length, 0, MaxErrorString))
            : $"MPI error {code}";
    }
}
