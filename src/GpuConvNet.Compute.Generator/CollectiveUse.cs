using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GpuConvNet.Compute.Generator;

/// <summary>
/// What a kernel's warp and group collectives ask of its launches (KernelDefinition.MaxGroupSize and UsesWarps): they
/// are called in the kernel's own body only (GCN0013), so its body says.
/// </summary>
internal static class CollectiveUse
{
    /// <summary>The object initializer's assignments for <paramref name="kernel"/>'s KernelDefinition (none for most kernels).</summary>
    public static IReadOnlyList<string> Initializers(KernelModel kernel, KnownSymbols known)
    {
        var model = known.Compilation.GetSemanticModel(kernel.Syntax.SyntaxTree);
        bool slots = false;
        bool warps = false;
        foreach (var call in kernel.Syntax.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (model.GetSymbolInfo(call).Symbol is not IMethodSymbol { ContainingType: var type } target)
            {
                continue;
            }
            if (KnownSymbols.Is(type, known.Warp) && target.Name is not ("ComputeWarpIdx" or "ComputeWarpThreadIdx") || KnownSymbols.Is(type, known.WarpExtensions))
            {
                // A partial warp's missing lanes would be read (a shuffle) or waited for (Warp.Barrier).
                warps = true;
                slots |= target.Name != "Barrier";
            }
            slots |= KnownSymbols.Is(type, known.GroupExtensions);
        }
        var initializers = new List<string>();
        if (slots)
        {
            initializers.Add("MaxGroupSize = global::GpuConvNet.Compute.KernelDefinition.CollectiveGroupLimit");
        }
        if (warps)
        {
            initializers.Add("UsesWarps = true");
        }
        return initializers;
    }
}
