using Microsoft.CodeAnalysis;

namespace GpuConvNet.Compute.Generator;

/// <summary>
/// The generator's diagnostics. Ids are stable: never renumber, only add. Each is listed in README.md and has
/// a test in GpuConvNet.Compute.Generator.Tests.
/// </summary>
internal static class Diagnostics
{
    private const string Category = "GpuConvNet.Kernels";

    public static readonly DiagnosticDescriptor InvalidKernelDeclaration = Error("GCN0001",
        "Invalid kernel declaration",
        "Kernel '{0}' {1}");

    public static readonly DiagnosticDescriptor UnsupportedParameter = Error("GCN0002",
        "Unsupported kernel parameter",
        "Parameter '{0}' of '{1}' has type '{2}': kernels take ArrayView<T>, ArrayView2D<T, Stride2D.DenseX/DenseY> and ArrayView3D<T, Stride3D.DenseXY/DenseZY> (T = float, int, uint, byte), int, uint, long, float, SpecializedValue<T> of those scalars, and an Index1D/2D/3D first");

    public static readonly DiagnosticDescriptor UnsupportedType = Error("GCN0003",
        "Unsupported type in kernel code",
        "Type '{0}' cannot be used in kernel code{1}");

    public static readonly DiagnosticDescriptor Allocation = Error("GCN0004",
        "Allocation in kernel code",
        "'{0}' allocates: kernel code cannot create objects or arrays; use SharedMemory.Allocate<T>(constant) or a Span<T> local = stackalloc T[constant]");

    public static readonly DiagnosticDescriptor UnsupportedCall = Error("GCN0005",
        "Call to a method that is not a kernel function",
        "'{0}' cannot be called from kernel code: only [KernelFunction] methods of this assembly and the supported MathF/Math intrinsics can");

    public static readonly DiagnosticDescriptor Recursion = Error("GCN0006",
        "Recursion in kernel code",
        "'{0}' calls itself (through {1}): GPUs have no call stack for recursion");

    public static readonly DiagnosticDescriptor Exceptions = Error("GCN0007",
        "Exceptions in kernel code",
        "'{0}' is not supported in kernel code: devices have no exceptions; guard with if and return");

    public static readonly DiagnosticDescriptor Delegates = Error("GCN0008",
        "Lambdas, delegates and local functions in kernel code",
        "'{0}' is not supported in kernel code: devices have no delegates; use a static [KernelFunction]");

    public static readonly DiagnosticDescriptor Linq = Error("GCN0009",
        "LINQ in kernel code",
        "LINQ is not supported in kernel code: write the loop");

    public static readonly DiagnosticDescriptor UnsupportedStatement = Error("GCN0010",
        "Unsupported statement in kernel code",
        "The '{0}' statement is not supported in kernel code");

    public static readonly DiagnosticDescriptor UnsupportedExpression = Error("GCN0011",
        "Unsupported expression in kernel code",
        "{0} is not supported in kernel code");

    public static readonly DiagnosticDescriptor NonConstantSize = Error("GCN0012",
        "Shared or private array size is not a constant",
        "The size of '{0}' must be a positive compile-time constant — a const, or an expression of consts and the kernel's SpecializedValue parameters: devices size shared and private arrays when the kernel is compiled");

    public static readonly DiagnosticDescriptor GroupFeatureMisuse = Error("GCN0013",
        "Group feature used where it is not available",
        "{0}");

    public static readonly DiagnosticDescriptor NonConstantMember = Error("GCN0014",
        "Access to a field or property that is not a constant",
        "'{0}' is not available in kernel code: kernels can read their parameters, locals and constants (const fields), not static or instance state");

    public static readonly DiagnosticDescriptor InvalidKernelFunction = Error("GCN0015",
        "Invalid kernel function",
        "Kernel function '{0}' {1}");

    public static readonly DiagnosticDescriptor NoIlgpuForm = Error("GCN0016",
        "Construct without an ILGPU form",
        "{0} has no ILGPU form: the kernel's ILGPU twin cannot be generated{1}");

    public static readonly DiagnosticDescriptor SpecializedValueMisuse = Error("GCN0017",
        "Specialised value not known when the kernel compiles",
        "{0}: a SpecializedValue is compiled into the kernel, so it must be a kernel's parameter, read as '.Value' (or converted to its scalar) in the kernel's own body");

    public static readonly DiagnosticDescriptor IlgpuMember = Error("GCN0018",
        "ILGPU API in kernel code",
        "'{0}' is ILGPU's own API: {1}");

    public static readonly DiagnosticDescriptor PrivateFunctionBeside = Error("GCN0019",
        "Private function out of reach of a loaded kernel's generated code",
        "Kernel '{0}' waits at barriers and calls private function '{1}' of '{2}', which is not a static partial class: the CPU accelerator's code for it, generated beside the class, cannot call a private method; make '{1}' internal, or '{2}' a static partial class");

    public static readonly DiagnosticDescriptor CollectiveWithoutDeviceForm = Error("GCN0020",
        "Warp or group collective without a device form",
        "'{0}' has no device form: {1}");

    public static readonly DiagnosticDescriptor DynamicSharedElementTypes = Error("GCN0021",
        "Dynamic shared memory read as several element types",
        "'SharedMemory.GetDynamic<{0}>()' in kernel '{2}', which reads its dynamic shared memory as {1} already: a kernel's dynamic shared memory has one element type on every engine (ILGPU's GetDynamic calls alias); read it as {1}, or allocate the other array with SharedMemory.Allocate<{0}>(a constant)");

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: "https://github.com/gpuconvnet/gpuconvnet/blob/main/src/GpuConvNet.Compute.Generator/README.md#" + id.ToLowerInvariant());
}
