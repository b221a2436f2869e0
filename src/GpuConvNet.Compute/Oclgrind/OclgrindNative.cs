using System.Runtime.InteropServices;

namespace GpuConvNet.Compute.Oclgrind;

/// <summary>The C library's setenv: Oclgrind reads its options with getenv, which .NET's environment does not reach on Unix.</summary>
internal static partial class OclgrindNative
{
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int setenv(string name, string value, int overwrite);
}
