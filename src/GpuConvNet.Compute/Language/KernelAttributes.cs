namespace GpuConvNet.Compute;

/// <summary>
/// Marks a <c>static void</c> method of a <c>static partial class</c> as a kernel. The source generator
/// translates it to OpenCL C and CUDA C and registers a CPU version of it. A kernel whose first parameter is
/// an <see cref="Index1D"/>, <see cref="Index2D"/> or <see cref="Index3D"/> is auto-grouped (launched over an
/// extent); any other kernel is explicitly grouped (launched with a <see cref="KernelConfig"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class KernelAttribute : Attribute
{
    /// <summary>
    /// Lets the device compilers fuse <c>a * b + c</c> into one fused multiply-add (rounded once instead of twice).
    /// Off by default, so that a kernel gives the same floats on every engine (.NET never fuses): OpenCL C is written
    /// with <c>#pragma OPENCL FP_CONTRACT OFF</c> and CUDA C compiled with <c>--fmad=false</c>. Hot loops whose results
    /// are compared with a tolerance anyway (matrix multiplies, convolutions) turn it on for the FMA units' speed.
    /// </summary>
    public bool AllowContraction { get; init; }
}

/// <summary>
/// Marks a static method that kernels may call. It is translated along with every kernel that calls it.
/// It may not use <see cref="Group.Barrier"/> or <see cref="SharedMemory"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class KernelFunctionAttribute : Attribute;
