using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace GpuConvNet.Compute.Cuda;

/// <summary>Compiles a kernel's CUDA C with NVRTC into an image that <c>cuModuleLoadData</c> takes.</summary>
internal static partial class CudaCompiler
{
    /// <summary>
    /// The architecture (major × 10 + minor) to compile for on a device of compute capability
    /// <paramref name="deviceArchitecture"/>: the device's own if NVRTC supports it, else the highest NVRTC
    /// supports below it (PTX for an older virtual architecture still runs: the driver JIT-compiles it for the
    /// device). Throws when NVRTC supports nothing the device can run.
    /// </summary>
    public static int SelectArchitecture(int deviceArchitecture, int[]? supported, Version nvrtcVersion)
    {
        if (supported is null)
        {
            // NVRTC before 11.2 cannot list its architectures; let compilation report it if the device's is unknown.
            return deviceArchitecture;
        }
        int best = -1;
        foreach (int architecture in supported)
        {
            if (architecture <= deviceArchitecture && architecture > best)
            {
                best = architecture;
            }
        }
        if (best < 0)
        {
            throw new BackendUnavailableException(
                $"NVRTC {nvrtcVersion} compiles for {(supported.Length == 0 ? "no architecture" : $"compute_{supported[0]}..compute_{supported[^1]}")}, " +
                $"none of which runs on a device of compute capability {deviceArchitecture / 10}.{deviceArchitecture % 10}; use an older CUDA toolkit's NVRTC");
        }
        return best;
    }

    /// <summary>
    /// Compiles <paramref name="kernel"/> for <paramref name="architecture"/>: to PTX for the virtual architecture
    /// (<c>compute_XY</c>), or, with <paramref name="cubin"/>, to machine code for the real one (<c>sm_XY</c>).
    /// Returns the image: NUL-terminated PTX or the cubin. A compile error throws
    /// <see cref="KernelCompilationException"/> with NVRTC's log and the source lines it cites.
    /// </summary>
    public static byte[] Compile(KernelDefinition kernel, string source, int architecture, bool cubin, Version nvrtcVersion)
    {
        string target = $"{(cubin ? "sm" : "compute")}_{architecture}";
        // The name only labels the log's messages ("Name.cu(12): error: ...").
        string programName = $"{kernel.Name}.cu";
        // No fast-math flags, so float results stay IEEE-conformant (NVRTC's defaults: no flush-to-zero, IEEE division
        // and square root). NVRTC fuses a * b + c by default, which the other engines (and .NET) do not: --fmad=false
        // unless the kernel allows contraction, so that a kernel rounds the same on CUDA.
        string[] options = kernel.AllowContraction ? [$"--gpu-arch={target}"] : [$"--gpu-arch={target}", "--fmad=false"];

        unsafe
        {
            int result = NvrtcNative.nvrtcCreateProgram(out nint program, source, programName, 0, null, null);
            NvrtcNative.Check(result, "nvrtcCreateProgram", $"kernel {kernel.Name}");
            try
            {
                result = CompileProgram(program, options);
                if (result == NvrtcNative.ErrorCompilation)
                {
                    throw new KernelCompilationException(kernel.Name,
                        DescribeFailure(kernel, source, NvrtcNative.ProgramLog(program), target, nvrtcVersion));
                }
                if (result != NvrtcNative.Success)
                {
                    string log = NvrtcNative.ProgramLog(program);
                    throw NvrtcNative.Error(result, "nvrtcCompileProgram",
                        $"kernel {kernel.Name}, options {string.Join(' ', options)}{(log.Length == 0 ? "" : ": " + log)}");
                }
                byte[] image = cubin ? NvrtcNative.Cubin(program) : NvrtcNative.Ptx(program);
                result = NvrtcNative.nvrtcDestroyProgram(ref program);
                NvrtcNative.Check(result, "nvrtcDestroyProgram");
                return image;
            }
            catch when (program != 0)
            {
                // Free the program without letting a cleanup failure hide the error being thrown.
                _ = NvrtcNative.nvrtcDestroyProgram(ref program);
                throw;
            }
        }
    }

    private static unsafe int CompileProgram(nint program, string[] options)
    {
        // const char* const* options: each option as a NUL-terminated UTF-8 string in unmanaged memory.
        var pointers = new nint[options.Length];
        try
        {
            for (int i = 0; i < options.Length; i++)
            {
                pointers[i] = System.Runtime.InteropServices.Marshal.StringToCoTaskMemUTF8(options[i]);
            }
            fixed (nint* p = pointers)
            {
                return NvrtcNative.nvrtcCompileProgram(program, options.Length, (byte**)p);
            }
        }
        finally
        {
            foreach (nint pointer in pointers)
            {
                System.Runtime.InteropServices.Marshal.FreeCoTaskMem(pointer);
            }
        }
    }

    /// <summary>NVRTC's log followed by each source line that the log cites as <c>(LINE)</c>.</summary>
    internal static string DescribeFailure(KernelDefinition kernel, string source, string log, string target, Version nvrtcVersion)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"NVRTC {nvrtcVersion} failed to compile the generated CUDA C for {target}:\n");
        text.Append(log.Length == 0 ? "(NVRTC wrote no log)" : log);
        string[] lines = source.Split('\n');
        var cited = new SortedSet<int>();
        foreach (Match match in CitedLine().Matches(log))
        {
            if (int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int line) &&
                line >= 1 && line <= lines.Length)
            {
                cited.Add(line);
            }
        }
        if (cited.Count > 0)
        {
            text.Append("\ngenerated source:");
            foreach (int line in cited)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  {line,4}: {lines[line - 1].TrimEnd('\r')}");
            }
        }
        return text.ToString();
    }

    // NVRTC cites positions as "name.cu(12): error: ...".
    [GeneratedRegex(@"\((\d+)\):")]
    private static partial Regex CitedLine();
}
