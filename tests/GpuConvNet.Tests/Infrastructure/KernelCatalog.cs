using System.Runtime.CompilerServices;
using GpuConvNet.Compute;
using GpuConvNet.ProofKernels;
using GpuConvNet.ProofKernels.Porting;

namespace GpuConvNet.Tests.Infrastructure;

/// <summary>Every kernel of the assemblies under test, registered by their generated module initializers.</summary>
public static class KernelCatalog
{
    /// <summary>The kernels, sorted by full name.</summary>
    public static IReadOnlyList<KernelDefinition> All
    {
        get
        {
            foreach (var type in new[] { typeof(VectorKernels), typeof(GpuConvNet.Kernels.MatMulKernels) })
            {
                RuntimeHelpers.RunModuleConstructor(type.Module.ModuleHandle);
            }
            // Only [Kernel] methods and the porting suite's (found through ILGPU's loading calls, without the attribute):
            // tests register hand-made definitions of their own (e.g. one without a twin).
            return KernelRegistry.All.Where(k => k.Method.IsDefined(typeof(KernelAttribute), false) || k.Method.DeclaringType?.Namespace == typeof(WarpSamples).Namespace)
                .OrderBy(FullName, StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>
    /// <paramref name="kernel"/>'s source in <paramref name="dialect"/> as an engine compiles it, with each specialised
    /// parameter at 16 (a typical tile size: every specialised kernel here sizes tiles or strides with it).
    /// </summary>
    public static string Source(KernelDefinition kernel, string dialect) =>
        kernel.SourceFor(dialect, kernel.Parameters.Select(p => p.Kind == KernelParameterKind.Specialized ? Sample(p.ElementType) : null).ToArray());

    private static object Sample(Type type) =>
        type == typeof(int) ? SpecializedValue.New(16) : type == typeof(uint) ? SpecializedValue.New(16u)
        : type == typeof(long) ? SpecializedValue.New(16L) : SpecializedValue.New(16f);

    /// <summary>Namespace, type and method: unique where <see cref="KernelDefinition.Name"/> (type and method) may not be.</summary>
    public static string FullName(KernelDefinition kernel) => $"{kernel.Method.DeclaringType?.FullName}.{kernel.Method.Name}";
}
