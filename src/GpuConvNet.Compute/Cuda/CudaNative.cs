using System.Runtime.InteropServices;

namespace GpuConvNet.Compute.Cuda;

/// <summary>
/// Hand-written bindings to the CUDA driver API (<c>cuda.h</c>, exported by libcuda.so.1 / nvcuda.dll).
/// </summary>
/// <remarks>
/// C types map as follows: <c>CUresult</c> (an int-sized enum) → <see cref="int"/>; <c>CUdevice</c> (an int ordinal
/// handle) → <see cref="int"/>; <c>CUdeviceptr</c> (an unsigned 64-bit integer on 64-bit hosts, not a host
/// pointer) → <see cref="ulong"/>; the opaque handles <c>CUcontext</c>, <c>CUmodule</c>, <c>CUfunction</c> and
/// <c>CUstream</c> (pointers) → <see cref="nint"/>; <c>size_t</c> → <see cref="nuint"/>; <c>unsigned int</c> →
/// <see cref="uint"/>. Where <c>cuda.h</c> maps a name onto a versioned export (<c>#define cuMemAlloc
/// cuMemAlloc_v2</c>) the binding names the versioned symbol, because the unversioned one is the legacy ABI
/// (32-bit sizes / pointers) that the driver keeps only for old binaries. The calling convention is the
/// platform default, which is what <c>CUDAAPI</c> means (<c>__stdcall</c> on 32-bit Windows, the C convention
/// elsewhere). Every function here must only be called after <see cref="NativeLibraries.TryLoad"/> succeeded
/// for <see cref="NativeLibraries.Cuda"/>, which registers the assembly's resolver.
/// </remarks>
internal static unsafe partial class CudaNative
{
    // CUresult values this layer reacts to (the rest are named by ErrorName).
    public const int Success = 0;
    public const int ErrorInvalidValue = 1;
    public const int ErrorOutOfMemory = 2;
    public const int ErrorUnsupportedPtxVersion = 222;

    // CUdevice_attribute values.
    public const int AttributeMaxThreadsPerBlock = 1;
    public const int AttributeMaxBlockDimX = 2;
    public const int AttributeMaxBlockDimY = 3;
    public const int AttributeMaxBlockDimZ = 4;
    public const int AttributeMaxGridDimX = 5;
    public const int AttributeMaxGridDimY = 6;
    public const int AttributeMaxGridDimZ = 7;
    public const int AttributeMaxSharedMemoryPerBlock = 8;
    public const int AttributeWarpSize = 10;
    public const int AttributeMultiprocessorCount = 16;
    public const int AttributeComputeCapabilityMajor = 75;
    public const int AttributeComputeCapabilityMinor = 76;

    // CUfunction_attribute values.
    public const int FunctionAttributeMaxThreadsPerBlock = 0;
    public const int FunctionAttributeNumRegs = 4;

    // CUstream_flags: CU_STREAM_DEFAULT.
    public const uint StreamDefault = 0;

    // --- Initialization, version, devices -------------------------------------------------------------------

    /// <summary><c>CUresult cuInit(unsigned int Flags)</c>; Flags must be 0.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuInit(uint flags);

    /// <summary><c>CUresult cuDriverGetVersion(int* driverVersion)</c>: 1000 × major + 10 × minor.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuDriverGetVersion(out int driverVersion);

    /// <summary><c>CUresult cuDeviceGetCount(int* count)</c>.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuDeviceGetCount(out int count);

    /// <summary><c>CUresult cuDeviceGet(CUdevice* device, int ordinal)</c>.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuDeviceGet(out int device, int ordinal);

    /// <summary><c>CUresult cuDeviceGetName(char* name, int len, CUdevice dev)</c>: writes a NUL-terminated ASCII name of at most len bytes.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuDeviceGetName(byte* name, int len, int device);

    /// <summary><c>CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice dev)</c>.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuDeviceTotalMem_v2(out nuint bytes, int device);

    /// <summary><c>CUresult cuDeviceGetAttribute(int* pi, CUdevice_attribute attrib, CUdevice dev)</c>.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuDeviceGetAttribute(out int value, int attribute, int device);

    // --- Contexts -------------------------------------------------------------------------------------------

    /// <summary><c>CUresult cuDevicePrimaryCtxRetain(CUcontext* pctx, CUdevice dev)</c> (no versioned export exists).</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuDevicePrimaryCtxRetain(out nint context, int device);

    /// <summary><c>CUresult cuDevicePrimaryCtxRelease_v2(CUdevice dev)</c> (CUDA 11.0+ drivers).</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuDevicePrimaryCtxRelease_v2(int device);

    /// <summary><c>CUresult cuCtxSetCurrent(CUcontext ctx)</c>: binds the context to the calling thread.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuCtxSetCurrent(nint context);

    // --- Streams --------------------------------------------------------------------------------------------

    /// <summary><c>CUresult cuStreamCreate(CUstream* phStream, unsigned int Flags)</c>.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuStreamCreate(out nint stream, uint flags);

    /// <summary><c>CUresult cuStreamSynchronize(CUstream hStream)</c>.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuStreamSynchronize(nint stream);

    /// <summary><c>CUresult cuStreamDestroy_v2(CUstream hStream)</c>.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuStreamDestroy_v2(nint stream);

    // --- Modules and functions ------------------------------------------------------------------------------

    /// <summary><c>CUresult cuModuleLoadData(CUmodule* module, const void* image)</c>: image is NUL-terminated PTX or a cubin.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuModuleLoadData(out nint module, byte* image);

    /// <summary><c>CUresult cuModuleGetFunction(CUfunction* hfunc, CUmodule hmod, const char* name)</c>.</summary>
    [LibraryImport(NativeLibraries.Cuda, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int cuModuleGetFunction(out nint function, nint module, string name);

    /// <summary><c>CUresult cuModuleUnload(CUmodule hmod)</c>.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuModuleUnload(nint module);

    /// <summary><c>CUresult cuFuncGetAttribute(int* pi, CUfunction_attribute attrib, CUfunction hfunc)</c>.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuFuncGetAttribute(out int value, int attribute, nint function);

    /// <summary>
    /// <c>CUresult cuFuncGetParamInfo(CUfunction func, size_t paramIndex, size_t* paramOffset, size_t* paramSize)</c>
    /// (CUDA 12.4+ drivers; older ones do not export it, so callers catch <see cref="EntryPointNotFoundException"/>).
    /// </summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuFuncGetParamInfo(nint function, nuint paramIndex, out nuint paramOffset, out nuint paramSize);

    // --- Memory ---------------------------------------------------------------------------------------------

    /// <summary><c>CUresult cuMemAlloc_v2(CUdeviceptr* dptr, size_t bytesize)</c>.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuMemAlloc_v2(out ulong devicePointer, nuint byteSize);

    /// <summary><c>CUresult cuMemFree_v2(CUdeviceptr dptr)</c>.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuMemFree_v2(ulong devicePointer);

    /// <summary><c>CUresult cuMemcpyHtoD_v2(CUdeviceptr dstDevice, const void* srcHost, size_t ByteCount)</c>.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuMemcpyHtoD_v2(ulong destination, void* source, nuint byteCount);

    /// <summary><c>CUresult cuMemcpyDtoH_v2(void* dstHost, CUdeviceptr srcDevice, size_t ByteCount)</c>.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuMemcpyDtoH_v2(void* destination, ulong source, nuint byteCount);

    /// <summary><c>CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dstDevice, const void* srcHost, size_t ByteCount, CUstream hStream)</c>.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuMemcpyHtoDAsync_v2(ulong destination, void* source, nuint byteCount, nint stream);

    /// <summary><c>CUresult cuMemcpyDtoHAsync_v2(void* dstHost, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)</c>.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuMemcpyDtoHAsync_v2(void* destination, ulong source, nuint byteCount, nint stream);

    /// <summary><c>CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)</c>.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuMemcpyDtoDAsync_v2(ulong destination, ulong source, nuint byteCount, nint stream);

    /// <summary><c>CUresult cuMemsetD8Async(CUdeviceptr dstDevice, unsigned char uc, size_t N, CUstream hStream)</c> (no versioned export exists).</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuMemsetD8Async(ulong destination, byte value, nuint count, nint stream);

    /// <summary><c>CUresult cuMemsetD16Async(CUdeviceptr dstDevice, unsigned short us, size_t N, CUstream hStream)</c>; dstDevice 2-byte aligned.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuMemsetD16Async(ulong destination, ushort value, nuint count, nint stream);

    /// <summary><c>CUresult cuMemsetD32Async(CUdeviceptr dstDevice, unsigned int ui, size_t N, CUstream hStream)</c>; dstDevice 4-byte aligned.</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuMemsetD32Async(ulong destination, uint value, nuint count, nint stream);

    // --- Execution ------------------------------------------------------------------------------------------

    /// <summary>
    /// <c>CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, gridDimY, gridDimZ, unsigned int blockDimX,
    /// blockDimY, blockDimZ, unsigned int sharedMemBytes, CUstream hStream, void** kernelParams, void** extra)</c>.
    /// kernelParams holds one pointer per kernel parameter, each to the parameter's value; the driver copies the
    /// values before returning.
    /// </summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuLaunchKernel(nint function,
        uint gridDimX, uint gridDimY, uint gridDimZ,
        uint blockDimX, uint blockDimY, uint blockDimZ,
        uint sharedMemBytes, nint stream, void** kernelParams, void** extra);

    // --- Errors ---------------------------------------------------------------------------------------------

    /// <summary><c>CUresult cuGetErrorName(CUresult error, const char** pStr)</c>: *pStr is a static NUL-terminated string (or NULL).</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuGetErrorName(int error, out nint name);

    /// <summary><c>CUresult cuGetErrorString(CUresult error, const char** pStr)</c>: *pStr is a static NUL-terminated string (or NULL).</summary>
    [LibraryImport(NativeLibraries.Cuda)]
    internal static partial int cuGetErrorString(int error, out nint description);

    // --- Helpers --------------------------------------------------------------------------------------------

    // Names of common codes, used when the driver cannot name a code itself (cuGetErrorName returned an error).
    private static readonly Dictionary<int, string> KnownErrors = new()
    {
        [0] = "CUDA_SUCCESS",
        [1] = "CUDA_ERROR_INVALID_VALUE",
        [2] = "CUDA_ERROR_OUT_OF_MEMORY",
        [3] = "CUDA_ERROR_NOT_INITIALIZED",
        [4] = "CUDA_ERROR_DEINITIALIZED",
        [34] = "CUDA_ERROR_STUB_LIBRARY",
        [46] = "CUDA_ERROR_DEVICE_UNAVAILABLE",
        [100] = "CUDA_ERROR_NO_DEVICE",
        [101] = "CUDA_ERROR_INVALID_DEVICE",
        [200] = "CUDA_ERROR_INVALID_IMAGE",
        [201] = "CUDA_ERROR_INVALID_CONTEXT",
        [209] = "CUDA_ERROR_NO_BINARY_FOR_GPU",
        [214] = "CUDA_ERROR_ECC_UNCORRECTABLE",
        [218] = "CUDA_ERROR_INVALID_PTX",
        [221] = "CUDA_ERROR_JIT_COMPILER_NOT_FOUND",
        [222] = "CUDA_ERROR_UNSUPPORTED_PTX_VERSION",
        [223] = "CUDA_ERROR_JIT_COMPILATION_DISABLED",
        [300] = "CUDA_ERROR_INVALID_SOURCE",
        [400] = "CUDA_ERROR_INVALID_HANDLE",
        [401] = "CUDA_ERROR_ILLEGAL_STATE",
        [500] = "CUDA_ERROR_NOT_FOUND",
        [600] = "CUDA_ERROR_NOT_READY",
        [700] = "CUDA_ERROR_ILLEGAL_ADDRESS",
        [701] = "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES",
        [702] = "CUDA_ERROR_LAUNCH_TIMEOUT",
        [709] = "CUDA_ERROR_CONTEXT_IS_DESTROYED",
        [710] = "CUDA_ERROR_ASSERT",
        [714] = "CUDA_ERROR_HARDWARE_STACK_ERROR",
        [715] = "CUDA_ERROR_ILLEGAL_INSTRUCTION",
        [716] = "CUDA_ERROR_MISALIGNED_ADDRESS",
        [717] = "CUDA_ERROR_INVALID_ADDRESS_SPACE",
        [718] = "CUDA_ERROR_INVALID_PC",
        [719] = "CUDA_ERROR_LAUNCH_FAILED",
        [720] = "CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE",
        [800] = "CUDA_ERROR_NOT_PERMITTED",
        [801] = "CUDA_ERROR_NOT_SUPPORTED",
        [802] = "CUDA_ERROR_SYSTEM_NOT_READY",
        [803] = "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH",
        [804] = "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE",
        [999] = "CUDA_ERROR_UNKNOWN",
    };

    /// <summary>
    /// True for the errors a kernel raises while it runs (out-of-bounds access, trap, timeout...): they are
    /// reported by whatever call comes next and leave the context unusable until every retain is released.
    /// </summary>
    public static bool IsKernelFault(int code) => code is 700 or 702 or 710 or (>= 714 and <= 719) or 999;

    /// <summary>The CUresult's symbolic name, e.g. <c>CUDA_ERROR_INVALID_VALUE</c>.</summary>
    public static string ErrorName(int code)
    {
        if (cuGetErrorName(code, out nint name) == Success && name != 0)
        {
            return Marshal.PtrToStringUTF8(name) ?? Fallback(code);
        }
        return Fallback(code);

        static string Fallback(int code) => KnownErrors.TryGetValue(code, out var known) ? known : "CUDA_ERROR_UNRECOGNIZED";
    }

    /// <summary>The driver's one-line description of a CUresult, or null.</summary>
    public static string? ErrorDescription(int code) =>
        cuGetErrorString(code, out nint text) == Success && text != 0 ? Marshal.PtrToStringUTF8(text) : null;

    /// <summary>
    /// The exception for <paramref name="call"/> failing with <paramref name="code"/>: a
    /// <see cref="DeviceOutOfMemoryException"/> for CUDA_ERROR_OUT_OF_MEMORY, else a <see cref="NativeCallException"/>.
    /// The detail is the driver's description followed by <paramref name="context"/>.
    /// </summary>
    public static NativeCallException Error(int code, string call, string? context = null)
    {
        // Descriptions are sentences ("... toolchain."); the period would clash with the "; context" that follows.
        string? description = ErrorDescription(code)?.TrimEnd('.', ' ');
        string? detail = (description, context) switch
        {
            (null, null) => null,
            (null, _) => context,
            (_, null) => description,
            _ => $"{description}; {context}",
        };
        string name = ErrorName(code);
        return code == ErrorOutOfMemory
            ? new DeviceOutOfMemoryException(call, name, code, detail ?? "the device has no memory left")
            : new NativeCallException(call, name, code, detail);
    }

    /// <summary>Throws <see cref="Error"/> unless <paramref name="code"/> is CUDA_SUCCESS.</summary>
    public static void Check(int code, string call, string? context = null)
    {
        if (code != Success)
        {
            throw Error(code, call, context);
        }
    }

    /// <summary>A device attribute, checked.</summary>
    public static int Attribute(int device, int attribute, string name)
    {
        int result = cuDeviceGetAttribute(out int value, attribute, device);
        if (result != Success)
        {
            throw Error(result, "cuDeviceGetAttribute", $"attribute {name} ({attribute}) of device {device}");
        }
        return value;
    }

    /// <summary>The device's name as the driver reports it.</summary>
    public static string DeviceName(int device)
    {
        // The driver writes at most len bytes including the terminating NUL; 256 is what cudaDeviceProp uses.
        const int Capacity = 256;
        byte* buffer = stackalloc byte[Capacity];
        new Span<byte>(buffer, Capacity).Clear();
        Check(cuDeviceGetName(buffer, Capacity, device), "cuDeviceGetName");
        // Read up to the NUL but never past the buffer, even if the driver filled it completely.
        var bytes = new ReadOnlySpan<byte>(buffer, Capacity);
        int end = bytes.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]).Trim();
    }

    /// <summary>Formats a driver or CUDA version number (1000 × major + 10 × minor), e.g. 12040 → 12.4.</summary>
    public static string FormatVersion(int version) => $"{version / 1000}.{version % 1000 / 10}";
}
