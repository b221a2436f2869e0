using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;

namespace GpuConvNet.Compute;

/// <summary>How a kernel parameter is passed to device code.</summary>
public enum KernelParameterKind
{
    /// <summary>An <see cref="ArrayView{T}"/>: passed as (pointer, offset, length).</summary>
    View,

    /// <summary>A scalar (<c>int</c>, <c>uint</c>, <c>long</c>, <c>float</c>): passed by value.</summary>
    Scalar,
}

/// <summary>One kernel parameter (the index parameter of auto-grouped kernels is not listed).</summary>
/// <param name="Name">The C# parameter name.</param>
/// <param name="Kind">View or scalar.</param>
/// <param name="ElementType">Element type of a view, or the scalar's type.</param>
public sealed record KernelParameter(string Name, KernelParameterKind Kind, Type ElementType);

/// <summary>Runs the elements [start, end) of an auto-grouped kernel's extent, in row-major order (X fastest).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate void CpuIndexBody(object?[] args, Index3D extent, long start, long end);

/// <summary>Creates one lane of an explicitly grouped kernel; it yields a barrier's line number at each <c>Group.Barrier()</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate IEnumerator<int> CpuLaneBody(object?[] args);

/// <summary>
/// Everything the generator knows about one <c>[Kernel]</c> method: its device sources for each backend and its
/// CPU body. Generated code registers one per kernel; accelerators look them up by the kernel's method.
/// </summary>
/// <remarks>
/// Device-side signature convention (both OpenCL C and CUDA C): an auto-grouped kernel of rank r first takes
/// r <c>int</c> extents (x, y, z); then each parameter in order: a view as (pointer, int offset, int length),
/// a scalar as itself. The entry point is named <see cref="EntryPoint"/>. The OpenCL C of an auto-grouped kernel
/// also has <see cref="RowsEntryPoint"/>, for CPU devices: the same parameters, then r <c>int</c> chunk sizes; each
/// lane runs the block of indices [id·chunk, (id + 1)·chunk) ∩ [0, extent) per dimension, x innermost.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class KernelDefinition
{
    /// <summary>Creates a definition (called by generated code).</summary>
    public KernelDefinition(MethodInfo method, int indexRank, KernelParameter[] parameters, string entryPoint,
        string openCLSource, string cudaSource, CpuIndexBody? cpuIndexBody, CpuLaneBody? cpuLaneBody, MethodInfo? ilgpuKernel = null)
    {
        IlgpuKernel = ilgpuKernel;
        Method = method;
        IndexRank = indexRank;
        Parameters = parameters;
        EntryPoint = entryPoint;
        OpenCLSource = openCLSource;
        CudaSource = cudaSource;
        CpuIndexBody = cpuIndexBody;
        CpuLaneBody = cpuLaneBody;
        Name = $"{method.DeclaringType?.Name}.{method.Name}";
    }

    /// <summary>The C# method.</summary>
    public MethodInfo Method { get; }

    /// <summary><c>DeclaringType.Method</c>, for messages.</summary>
    public string Name { get; }

    /// <summary>1, 2 or 3 for auto-grouped kernels (<see cref="Index1D"/>…); 0 for explicitly grouped ones.</summary>
    public int IndexRank { get; }

    /// <summary>True for kernels launched with a <see cref="KernelConfig"/>.</summary>
    public bool IsGrouped => IndexRank == 0;

    /// <summary>Parameters after the index.</summary>
    public IReadOnlyList<KernelParameter> Parameters { get; }

    /// <summary>The device function name.</summary>
    public string EntryPoint { get; }

    /// <summary>
    /// The OpenCL entry point whose lanes each loop over a block of indices (auto-grouped kernels only): CPU
    /// compilers such as PoCL vectorise a lane's own loop, not a guarded kernel's lanes (kernels.md, "Lane loops").
    /// </summary>
    public string RowsEntryPoint => EntryPoint + "_rows";

    /// <summary>OpenCL C 1.2 source of the kernel and the functions it calls.</summary>
    public string OpenCLSource { get; }

    /// <summary>CUDA C source (for NVRTC) of the kernel and the functions it calls.</summary>
    public string CudaSource { get; }

    /// <summary>CPU body of an auto-grouped kernel.</summary>
    public CpuIndexBody? CpuIndexBody { get; }

    /// <summary>CPU lane body of an explicitly grouped kernel.</summary>
    public CpuLaneBody? CpuLaneBody { get; }

    /// <summary>
    /// The kernel's ILGPU twin: the same body written against ILGPU's types, which ILGPU's compiler turns into PTX,
    /// OpenCL C 2.0 or runs on its CPU accelerator. Null when the kernel's assembly does not reference ILGPU.
    /// </summary>
    public MethodInfo? IlgpuKernel { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>Kernels registered by generated code, found by their method.</summary>
public static class KernelRegistry
{
    private static readonly ConcurrentDictionary<MethodInfo, KernelDefinition> Kernels = new();

    /// <summary>Registers a kernel (called by generated module initializers).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void Register(KernelDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Kernels[definition.Method] = definition;
    }

    /// <summary>Every registered kernel of the assemblies loaded so far.</summary>
    public static IReadOnlyCollection<KernelDefinition> All => Kernels.Values.ToArray();

    /// <summary>The definition of <paramref name="kernel"/>, or a clear error if it is not a generated kernel.</summary>
    public static KernelDefinition Get(Delegate kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var method = kernel.Method;
        if (Kernels.TryGetValue(method, out var definition))
        {
            return definition;
        }
        // Module initializers register kernels when their assembly loads; this covers any that had not run yet.
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(method.Module.ModuleHandle);
        if (Kernels.TryGetValue(method, out definition))
        {
            return definition;
        }
        throw new ArgumentException(
            $"{method.DeclaringType?.Name}.{method.Name} is not a kernel: mark it [Kernel] (static, in a static partial class) " +
            "and reference GpuConvNet.Compute.Generator as an analyzer so that its device code is generated",
            nameof(kernel));
    }
}
