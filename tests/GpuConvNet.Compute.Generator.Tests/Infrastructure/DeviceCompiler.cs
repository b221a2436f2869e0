using System.Diagnostics;

namespace GpuConvNet.Compute.Generator.Tests.Infrastructure;

/// <summary>
/// Checks generated device code with clang-14's front ends where clang-14 is on PATH (tests that use it are
/// inconclusive elsewhere): OpenCL C 1.2 as is, CUDA C against stub declarations of the CUDA built-ins it uses
/// (there is no CUDA toolkit here), syntax and types only.
/// </summary>
internal static class DeviceCompiler
{
    private const string Clang = "clang-14";

    // The translator parenthesises every binary expression, so conditions read if ((a == b)): valid, and noisy.
    private static readonly string[] Common = ["-fsyntax-only", "-Wall", "-Wno-parentheses-equality", "-Wno-unused-variable"];

    private static readonly string[] OpenCL = ["-x", "cl", "-cl-std=CL1.2", "-Xclang", "-finclude-default-header"];

    private static readonly string[] Cuda = ["-x", "cuda", "--cuda-gpu-arch=sm_70", "--cuda-device-only", "-nocudainc", "-nocudalib"];

    /// <summary>What NVRTC and the CUDA headers would declare, as far as generated code uses it.</summary>
    private const string CudaPrelude = """
        #define __global__ __attribute__((global))
        #define __device__ __attribute__((device))
        #define __shared__ __attribute__((shared))
        #include <__clang_cuda_builtin_vars.h>
        __device__ void __syncthreads(void);
        __device__ float atomicAdd(float* address, float value);
        __device__ int atomicAdd(int* address, int value);
        __device__ int atomicMax(int* address, int value);
        __device__ unsigned int atomicAdd(unsigned int* address, unsigned int value);
        __device__ unsigned int atomicMax(unsigned int* address, unsigned int value);
        __device__ int atomicMin(int* address, int value); __device__ unsigned int atomicMin(unsigned int* address, unsigned int value);
        __device__ int atomicAnd(int* address, int value); __device__ unsigned int atomicAnd(unsigned int* address, unsigned int value);
        __device__ int atomicOr(int* address, int value); __device__ unsigned int atomicOr(unsigned int* address, unsigned int value);
        __device__ int atomicXor(int* address, int value); __device__ unsigned int atomicXor(unsigned int* address, unsigned int value);
        __device__ int atomicExch(int* address, int value); __device__ unsigned int atomicExch(unsigned int* address, unsigned int value);
        __device__ float atomicExch(float* address, float value);
        __device__ int atomicCAS(int* address, int compare, int value);
        __device__ unsigned int atomicCAS(unsigned int* address, unsigned int compare, unsigned int value);
        __device__ float __int_as_float(int bits);
        __device__ float expf(float); __device__ float logf(float); __device__ float sqrtf(float); __device__ float tanhf(float);
        __device__ float fabsf(float); __device__ float fmaxf(float, float); __device__ float fminf(float, float);
        __device__ float floorf(float); __device__ float ceilf(float); __device__ float powf(float, float);
        #define GCN_SHUFFLES(T) __device__ T __shfl_sync(unsigned int, T, int, int = 32); __device__ T __shfl_up_sync(unsigned int, T, unsigned int, int = 32); \
            __device__ T __shfl_down_sync(unsigned int, T, unsigned int, int = 32); __device__ T __shfl_xor_sync(unsigned int, T, int, int = 32);
        GCN_SHUFFLES(int) GCN_SHUFFLES(unsigned int) GCN_SHUFFLES(long long) GCN_SHUFFLES(unsigned long long) GCN_SHUFFLES(float)
        __device__ void __syncwarp(unsigned int mask = 0xffffffffu);

        """;

    private static readonly Lazy<string?> OpenCLMissing = new(() => Probe(OpenCL, "__kernel void k(void) { }"));

    private static readonly Lazy<string?> CudaMissing = new(() => Probe(Cuda, CudaPrelude + "extern \"C\" __global__ void k(int* p) { p[threadIdx.x] = 0; __syncthreads(); }"));

    /// <summary>Fails with clang's messages unless <paramref name="source"/> is OpenCL C 1.2 that compiles without warnings.</summary>
    public static void AssertOpenCLCompiles(string name, string source) => AssertCompiles(name, "OpenCL C", OpenCL, OpenCLMissing.Value, source);

    /// <summary>Fails with clang's messages unless <paramref name="source"/> is CUDA C that compiles without warnings.</summary>
    public static void AssertCudaCompiles(string name, string source) => AssertCompiles(name, "CUDA C", Cuda, CudaMissing.Value, CudaPrelude + source);

    private static void AssertCompiles(string name, string language, string[] mode, string? missing, string source)
    {
        // As an engine compiles a specialised kernel (KernelDefinition.SourceFor): each value written in, here 16.
        source = System.Text.RegularExpressions.Regex.Replace(source, @"\bgcn_specialized_\w+\b", "(16)");
        if (missing is not null)
        {
            Assert.Inconclusive($"no {Clang} for {language} here ({missing}): {name} was not compiled");
        }
        var (exitCode, messages) = Run([.. mode, .. Common], source);
        Assert.AreEqual(0, exitCode, $"{name}: clang rejects the {language}:\n{messages}\n{source}");
        Assert.AreEqual("", messages.Trim(), $"{name}: clang warns about the {language}:\n{messages}\n{source}");
    }

    private static string? Probe(string[] mode, string source)
    {
        var (exitCode, messages) = Run([.. mode, .. Common], source);
        return exitCode == 0 ? null : messages.Trim();
    }

    private static (int ExitCode, string Messages) Run(string[] arguments, string source)
    {
        var start = new ProcessStartInfo(Clang)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments.Append("-"))
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(source);
            process.StandardInput.Close();
            process.WaitForExit();
            return (process.ExitCode, output.Result + errors.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
