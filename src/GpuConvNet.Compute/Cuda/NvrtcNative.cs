using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GpuConvNet.Compute.Cuda;

/// <summary>
/// Hand-written bindings to NVRTC, the CUDA runtime compiler (<c>nvrtc.h</c>, libnvrtc.so.* / nvrtc64_*.dll).
/// </summary>
/// <remarks>
/// <c>nvrtcResult</c> (an int-sized enum) → <see cref="int"/>; <c>nvrtcProgram</c> (a pointer to an opaque struct)
/// → <see cref="nint"/>; <c>size_t</c> → <see cref="nuint"/>; strings are UTF-8, NUL-terminated. nvrtc.h declares
/// its functions without a calling-convention macro, so they use the C convention (stated explicitly: it differs
/// from the platform default only on 32-bit Windows). Call only after <see cref="NativeLibraries.TryLoad"/>
/// succeeded for <see cref="NativeLibraries.Nvrtc"/>.
/// </remarks>
internal static unsafe partial class NvrtcNative
{
    public const int Success = 0;
    public const int ErrorCompilation = 6;

    /// <summary><c>const char* nvrtcGetErrorString(nvrtcResult result)</c>: a static string, never freed.</summary>
    [LibraryImport(NativeLibraries.Nvrtc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nint nvrtcGetErrorString(int result);

    /// <summary><c>nvrtcResult nvrtcVersion(int* major, int* minor)</c>.</summary>
    [LibraryImport(NativeLibraries.Nvrtc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int nvrtcVersion(out int major, out int minor);

    /// <summary><c>nvrtcResult nvrtcGetNumSupportedArchs(int* numArchs)</c> (NVRTC 11.2+).</summary>
    [LibraryImport(NativeLibraries.Nvrtc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int nvrtcGetNumSupportedArchs(out int count);

    /// <summary><c>nvrtcResult nvrtcGetSupportedArchs(int* supportedArchs)</c> (NVRTC 11.2+): ascending, e.g. 75, 80, 86, 89, 90.</summary>
    [LibraryImport(NativeLibraries.Nvrtc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int nvrtcGetSupportedArchs(int* architectures);

    /// <summary>
    /// <c>nvrtcResult nvrtcCreateProgram(nvrtcProgram* prog, const char* src, const char* name, int numHeaders,
    /// const char* const* headers, const char* const* includeNames)</c>. NVRTC copies the strings.
    /// </summary>
    [LibraryImport(NativeLibraries.Nvrtc, StringMarshalling = StringMarshalling.Utf8)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int nvrtcCreateProgram(out nint program, string source, string name,
        int numHeaders, byte** headers, byte** includeNames);

    /// <summary><c>nvrtcResult nvrtcDestroyProgram(nvrtcProgram* prog)</c>: sets *prog to NULL.</summary>
    [LibraryImport(NativeLibraries.Nvrtc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int nvrtcDestroyProgram(ref nint program);

    /// <summary><c>nvrtcResult nvrtcCompileProgram(nvrtcProgram prog, int numOptions, const char* const* options)</c>.</summary>
    [LibraryImport(NativeLibraries.Nvrtc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int nvrtcCompileProgram(nint program, int numOptions, byte** options);

    /// <summary><c>nvrtcResult nvrtcGetProgramLogSize(nvrtcProgram prog, size_t* logSizeRet)</c>: includes the trailing NUL.</summary>
    [LibraryImport(NativeLibraries.Nvrtc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int nvrtcGetProgramLogSize(nint program, out nuint size);

    /// <summary><c>nvrtcResult nvrtcGetProgramLog(nvrtcProgram prog, char* log)</c>: writes the log and its NUL.</summary>
    [LibraryImport(NativeLibraries.Nvrtc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int nvrtcGetProgramLog(nint program, byte* log);

    /// <summary><c>nvrtcResult nvrtcGetPTXSize(nvrtcProgram prog, size_t* ptxSizeRet)</c>: includes the trailing NUL.</summary>
    [LibraryImport(NativeLibraries.Nvrtc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int nvrtcGetPTXSize(nint program, out nuint size);

    /// <summary><c>nvrtcResult nvrtcGetPTX(nvrtcProgram prog, char* ptx)</c>: writes the PTX and its NUL.</summary>
    [LibraryImport(NativeLibraries.Nvrtc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int nvrtcGetPTX(nint program, byte* ptx);

    /// <summary><c>nvrtcResult nvrtcGetCUBINSize(nvrtcProgram prog, size_t* cubinSizeRet)</c> (NVRTC 11.1+); 0 for a virtual architecture.</summary>
    [LibraryImport(NativeLibraries.Nvrtc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int nvrtcGetCUBINSize(nint program, out nuint size);

    /// <summary><c>nvrtcResult nvrtcGetCUBIN(nvrtcProgram prog, char* cubin)</c> (NVRTC 11.1+).</summary>
    [LibraryImport(NativeLibraries.Nvrtc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int nvrtcGetCUBIN(nint program, byte* cubin);

    /// <summary>The result's name, e.g. <c>NVRTC_ERROR_COMPILATION</c>.</summary>
    public static string ErrorName(int result)
    {
        nint text = nvrtcGetErrorString(result);
        return (text == 0 ? null : Marshal.PtrToStringUTF8(text)) ?? "NVRTC_ERROR_UNRECOGNIZED";
    }

    /// <summary>The exception for <paramref name="call"/> failing with <paramref name="result"/>.</summary>
    public static NativeCallException Error(int result, string call, string? detail = null) =>
        new(call, ErrorName(result), result, detail);

    /// <summary>Throws unless <paramref name="result"/> is NVRTC_SUCCESS.</summary>
    public static void Check(int result, string call, string? detail = null)
    {
        if (result != Success)
        {
            throw Error(result, call, detail);
        }
    }

    /// <summary>NVRTC's version, e.g. 12.4.</summary>
    public static Version Version()
    {
        Check(nvrtcVersion(out int major, out int minor), "nvrtcVersion");
        return new Version(major, minor);
    }

    /// <summary>
    /// The architectures NVRTC can compile for (major × 10 + minor, ascending), or null when this NVRTC predates
    /// <c>nvrtcGetSupportedArchs</c> (before 11.2), in which case the caller just tries the device's own.
    /// </summary>
    public static int[]? SupportedArchitectures()
    {
        try
        {
            Check(nvrtcGetNumSupportedArchs(out int count), "nvrtcGetNumSupportedArchs");
            if (count <= 0)
            {
                return [];
            }
            var architectures = new int[count];
            fixed (int* p = architectures)
            {
                Check(nvrtcGetSupportedArchs(p), "nvrtcGetSupportedArchs");
            }
            return architectures;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The program's compilation log (warnings and errors), without the trailing NUL.</summary>
    public static string ProgramLog(nint program)
    {
        Check(nvrtcGetProgramLogSize(program, out nuint size), "nvrtcGetProgramLogSize");
        if (size <= 1)
        {
            return "";
        }
        var log = new byte[checked((int)size)];
        fixed (byte* p = log)
        {
            Check(nvrtcGetProgramLog(program, p), "nvrtcGetProgramLog");
        }
        return DecodeNulTerminated(log).Trim();
    }

    /// <summary>The compiled PTX, NUL-terminated (as cuModuleLoadData requires).</summary>
    public static byte[] Ptx(nint program)
    {
        Check(nvrtcGetPTXSize(program, out nuint size), "nvrtcGetPTXSize");
        // The size includes the NUL; one spare byte guarantees termination even if a library omitted it.
        var ptx = new byte[checked((int)size + 1)];
        fixed (byte* p = ptx)
        {
            Check(nvrtcGetPTX(program, p), "nvrtcGetPTX");
        }
        return ptx;
    }

    /// <summary>The compiled cubin (ELF; self-describing, so cuModuleLoadData needs no size).</summary>
    public static byte[] Cubin(nint program)
    {
        Check(nvrtcGetCUBINSize(program, out nuint size), "nvrtcGetCUBINSize");
        if (size == 0)
        {
            throw new NativeCallException("nvrtcGetCUBINSize", "empty cubin", 0, "the program was compiled for a virtual architecture");
        }
        var cubin = new byte[checked((int)size)];
        fixed (byte* p = cubin)
        {
            Check(nvrtcGetCUBIN(program, p), "nvrtcGetCUBIN");
        }
        return cubin;
    }

    private static string DecodeNulTerminated(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
