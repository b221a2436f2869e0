using Microsoft.CodeAnalysis;

namespace GpuConvNet.Compute.Generator;

internal sealed partial class IlgpuTwinRewriter
{
    /// <summary>
    /// ILGPU's name for a 2-D or 3-D view type (<c>ILGPU.Runtime.ArrayView2D&lt;T, ILGPU.Stride2D.DenseX&gt;</c>) or for
    /// one of the strides the language lays out (<c>ILGPU.Stride3D.DenseZY</c>), else null.
    /// </summary>
    private static string? ViewTypeName(ITypeSymbol type, KnownSymbols known)
    {
        if (known.StrideName(type) is { } stride)
        {
            return known.Ilgpu + type.ContainingType!.Name + "." + stride;
        }
        if (!known.IsStridedView(type))
        {
            return null;
        }
        var arguments = ((INamedTypeSymbol)type).TypeArguments;
        return known.Ilgpu + "Runtime.ArrayView" + known.ViewRank(type) + "D<" + arguments[0].ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ", "
            + (ViewTypeName(arguments[1], known) ?? arguments[1].ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)) + ">";
    }
}
