using System.Reflection;
using System.Runtime.InteropServices;

namespace GpuConvNet.Compute;

/// <summary>
/// Resolves the logical library names that the backends' <c>LibraryImport</c>s use to the file names each
/// platform ships (an assembly has one resolver, so every backend registers its names here).
/// </summary>
internal static class NativeLibraries
{
    public const string OpenCL = "OpenCL";
    public const string Cuda = "cuda";
    public const string Nvrtc = "nvrtc";

    // Declared before Candidates, which reads it during static initialisation.
    private static readonly string[] NvrtcNames =
        ["libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "nvrtc64_130_0.dll", "nvrtc64_120_0.dll", "nvrtc64_112_0.dll"];

    private static readonly Dictionary<string, string[]> Candidates = new()
    {
        // The ICD loader: distributions ship the versioned name; the unversioned one comes with -dev packages.
        [OpenCL] = ["libOpenCL.so.1", "libOpenCL.so", "OpenCL.dll", "/System/Library/Frameworks/OpenCL.framework/OpenCL"],
        [Cuda] = ["libcuda.so.1", "libcuda.so", "nvcuda.dll"],
        // NVRTC is versioned by CUDA release (newest first) and often lives outside the loader path, in the toolkit.
        [Nvrtc] = [.. NvrtcNames, .. ToolkitDirectories().SelectMany(d => NvrtcNames.Select(n => Path.Combine(d, n)))],
    };

    private static IEnumerable<string> ToolkitDirectories()
    {
        string? cudaPath = Environment.GetEnvironmentVariable("CUDA_PATH");
        if (!string.IsNullOrEmpty(cudaPath))
        {
            yield return Path.Combine(cudaPath, "lib64");
            yield return Path.Combine(cudaPath, "bin");
        }
        yield return "/usr/local/cuda/lib64";
        yield return "/usr/local/cuda/targets/x86_64-linux/lib";
    }

    private static readonly Dictionary<string, nint> Loaded = [];
    private static readonly Lock Gate = new();

    static NativeLibraries() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);

    /// <summary>Loads <paramref name="logicalName"/>; on failure <paramref name="error"/> says which files were tried.</summary>
    public static bool TryLoad(string logicalName, out string? error)
    {
        lock (Gate)
        {
            if (Loaded.ContainsKey(logicalName))
            {
                error = null;
                return true;
            }
            foreach (var file in Candidates[logicalName])
            {
                if (NativeLibrary.TryLoad(file, typeof(NativeLibraries).Assembly, null, out var handle))
                {
                    Loaded[logicalName] = handle;
                    error = null;
                    return true;
                }
            }
            error = $"could not load {string.Join(", ", Candidates[logicalName])}";
            return false;
        }
    }

    /// <summary>The handle of <paramref name="logicalName"/>, loaded by <see cref="TryLoad"/> before.</summary>
    public static nint Handle(string logicalName)
    {
        lock (Gate)
        {
            return Loaded.GetValueOrDefault(logicalName);
        }
    }

    /// <summary>Loads <paramref name="logicalName"/> or throws <see cref="BackendUnavailableException"/>.</summary>
    public static void Require(string logicalName, string purpose)
    {
        if (!TryLoad(logicalName, out var error))
        {
            throw new BackendUnavailableException($"{purpose}: {error}");
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!Candidates.ContainsKey(name))
        {
            return 0;
        }
        return TryLoad(name, out _) ? Loaded[name] : 0;
    }
}
