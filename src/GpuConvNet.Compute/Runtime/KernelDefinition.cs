using System.Collections.Concurrent;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace GpuConvNet.Compute;

/// <summary>How a kernel parameter is passed to device code.</summary>
public enum KernelParameterKind
{
    /// <summary>An <see cref="ArrayView{T}"/>: passed as (pointer, offset, length).</summary>
    View,

    /// <summary>A scalar (<c>int</c>, <c>uint</c>, <c>long</c>, <c>float</c>): passed by value.</summary>
    Scalar,

    /// <summary>
    /// A <see cref="SpecializedValue{T}"/> of a scalar: compiled into the device code (see
    /// <see cref="KernelDefinition.SourceFor"/>), not passed at launch; the CPU body reads it as an argument.
    /// </summary>
    Specialized,
}

/// <summary>One kernel parameter (the index parameter of auto-grouped kernels is not listed).</summary>
/// <param name="Name">The C# parameter name.</param>
/// <param name="Kind">View or scalar.</param>
/// <param name="ElementType">Element type of a view, or the scalar's type.</param>
public sealed record KernelParameter(string Name, KernelParameterKind Kind, Type ElementType)
{
    /// <summary>The type a launch passes: <c>ArrayView&lt;T&gt;</c>, the scalar, or <c>SpecializedValue&lt;T&gt;</c>.</summary>
    public Type ArgumentType { get; } = Kind switch
    {
        KernelParameterKind.View => typeof(ArrayView<>).MakeGenericType(ElementType),
        KernelParameterKind.Specialized => typeof(SpecializedValue<>).MakeGenericType(ElementType),
        _ => ElementType,
    };

    /// <summary>How the argument is named in messages: <c>ArrayView&lt;Single&gt;</c>, <c>Int32</c>, …</summary>
    public string ArgumentTypeName => Describe(ArgumentType);

    /// <summary>A type as C# writes it, short: <c>SpecializedValue&lt;Int32&gt;</c> rather than <c>SpecializedValue`1</c>.</summary>
    internal static string Describe(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>" : type.Name;
}

/// <summary>The device languages the generator writes, the keys of <see cref="KernelDefinition.Sources"/>.</summary>
public static class KernelDialects
{
    /// <summary>OpenCL C 1.2.</summary>
    public const string OpenCL = "opencl-c";

    /// <summary>CUDA C for NVRTC.</summary>
    public const string Cuda = "cuda-c";
}

/// <summary>Runs the elements [start, end) of an auto-grouped kernel's extent, in row-major order (X fastest).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate void CpuIndexBody(object?[] args, Index3D extent, long start, long end);

/// <summary>Creates one lane of an explicitly grouped kernel; it yields a barrier's line number at each <c>Group.Barrier()</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate IEnumerator<int> CpuLaneBody(object?[] args);

/// <summary>
/// Everything the generator knows about one <c>[Kernel]</c> method: its device source in each dialect and its
/// CPU body. Generated code registers one per kernel; accelerators look them up by the kernel's method.
/// </summary>
/// <remarks>
/// Device-side signature convention (both OpenCL C and CUDA C): an auto-grouped kernel of rank r first takes
/// r <c>int</c> extents (x, y, z); then each parameter in order: a view as (pointer, int offset, int length),
/// a scalar as itself; a specialised parameter is not passed (its value is in the source). The entry point is named <see cref="EntryPoint"/>. The OpenCL C of an auto-grouped kernel
/// also has <see cref="RowsEntryPoint"/>, for CPU devices: the same parameters, then r <c>int</c> chunk sizes; each
/// lane runs the block of indices [id·chunk, (id + 1)·chunk) ∩ [0, extent) per dimension, x innermost.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed partial class KernelDefinition
{
    /// <summary>Creates a definition (called by generated code).</summary>
    public KernelDefinition(MethodInfo method, int indexRank, KernelParameter[] parameters, string entryPoint,
        IReadOnlyDictionary<string, string> sources, CpuIndexBody? cpuIndexBody, CpuLaneBody? cpuLaneBody, MethodInfo? ilgpuKernel = null,
        bool allowContraction = false)
    {
        AllowContraction = allowContraction;
        IlgpuKernel = ilgpuKernel;
        Method = method;
        IndexRank = indexRank;
        Parameters = parameters;
        EntryPoint = entryPoint;
        Sources = sources;
        specialized = parameters.Select((p, i) => (p, i)).Where(t => t.p.Kind == KernelParameterKind.Specialized).Select(t => t.i).ToArray();
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

    /// <summary>
    /// The kernel and the functions it calls in each device language (<see cref="KernelDialects"/>), with each
    /// specialised parameter as the placeholder <c>gcn_specialized_NAME</c>: compile <see cref="SourceFor"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Sources { get; }

    /// <summary>
    /// <see cref="KernelAttribute.AllowContraction"/>: device compilers may fuse multiply-adds. The OpenCL source says so
    /// itself (its FP_CONTRACT pragma); the CUDA engine passes <c>--fmad=false</c> to NVRTC unless this is set.
    /// </summary>
    public bool AllowContraction { get; }

    /// <summary>True when some parameter is a <see cref="SpecializedValue{T}"/>.</summary>
    public bool IsSpecialized => specialized.Length > 0;

    /// <summary>Distinct specialisations an engine compiles per kernel before it refuses another (bounded memory).</summary>
    public const int MaxSpecializations = 64;

    private readonly int[] specialized;

    /// <summary>
    /// The values of the specialised parameters in <paramref name="args"/> as a cache key ("" for none), e.g.
    /// "columns=16" or "width=5, scale=0.5": engines compile one program per kernel and key.
    /// </summary>
    public string SpecializationKey(object?[] args) =>
        specialized.Length == 0 ? "" : string.Join(", ", specialized.Select(i => Parameters[i].Name + "=" + args[i]));

    /// <summary>
    /// The source in <paramref name="dialect"/> for the specialised values in <paramref name="args"/>: each
    /// placeholder replaced by its value as a C literal (in place, so that compiler messages keep their lines).
    /// </summary>
    public string SourceFor(string dialect, object?[] args)
    {
        string source = Sources.TryGetValue(dialect, out var text) ? text
            : throw new KernelCompilationException(Name, $"it has no {dialect} source: its assembly's generator writes {string.Join(", ", Sources.Keys)}");
        if (specialized.Length == 0)
        {
            return source;
        }
        var literals = specialized.ToDictionary(i => Parameters[i].Name, i => Literal(i, args[i]));
        return Placeholder().Replace(source, m => literals.TryGetValue(m.Groups[1].Value, out var literal) ? literal : m.Value);
    }

    /// <summary>A specialised argument as a parenthesised C literal of its type.</summary>
    private string Literal(int parameter, object? arg)
    {
        string? literal = arg switch
        {
            SpecializedValue<int> v => v.Value.ToString(CultureInfo.InvariantCulture),
            SpecializedValue<uint> v => v.Value.ToString(CultureInfo.InvariantCulture) + "u",
            SpecializedValue<long> v => v.Value.ToString(CultureInfo.InvariantCulture) + "L",
            SpecializedValue<float> v when float.IsFinite(v.Value) => FloatLiteral(v.Value),
            _ => null,
        };
        return literal is null
            ? throw new ArgumentException($"kernel {Name}: the specialised value of '{Parameters[parameter].Name}' must be a finite {Parameters[parameter].ElementType.Name}, not {arg ?? "null"}")
            : "(" + literal + ")";
    }

    /// <summary>A float as C reads it back exactly: round-trip digits, a decimal point or exponent, then f.</summary>
    private static string FloatLiteral(float value)
    {
        string digits = value.ToString("R", CultureInfo.InvariantCulture);
        return digits + (digits.Contains('.', StringComparison.Ordinal) || digits.Contains('E', StringComparison.Ordinal) ? "f" : ".0f");
    }

    [GeneratedRegex(@"\bgcn_specialized_(\w+)\b")]
    private static partial Regex Placeholder();

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
