using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace GpuConvNet.Compute.Generator;

internal static partial class IlgpuTwinWriter
{
    /// <summary>
    /// The twin's parameters for <paramref name="parameter"/>: itself in ILGPU's types, or for a 2-D or 3-D view what
    /// the launch lowers it to (Accelerator.LowerViews): its base view, its extent, and the strides that are not 1.
    /// </summary>
    public static IEnumerable<(string Type, string Name)> TwinParameters(IParameterSymbol parameter, KnownSymbols known)
    {
        if (!known.IsStridedView(parameter.Type))
        {
            yield return (IlgpuTwinRewriter.TypeName(parameter.Type, known), parameter.Name);
            yield break;
        }
        yield return (known.Ilgpu + "ArrayView<" + KnownSymbols.ElementOf(parameter.Type).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ">", parameter.Name + "__base");
        int rank = known.ViewRank(parameter.Type);
        foreach (var axis in Axes.Take(rank))
        {
            yield return ("int", parameter.Name + "__" + axis);
        }
        foreach (int axis in known.SparseAxesOfView(parameter.Type)!)
        {
            yield return ("int", parameter.Name + "__stride_" + Axes[axis]);
        }
    }

    /// <summary>ILGPU's own view of a lowered 2-D or 3-D view parameter, with the same extent and strides.</summary>
    private static string RebuildStrided(IParameterSymbol parameter, KnownSymbols known)
    {
        string name = parameter.Name;
        int rank = known.ViewRank(parameter.Type);
        string view = IlgpuTwinRewriter.TypeName(parameter.Type, known);
        string stride = IlgpuTwinRewriter.TypeName(((INamedTypeSymbol)parameter.Type).TypeArguments[1], known);
        string extent = string.Join(", ", Axes.Take(rank).Select(axis => name + "__" + axis));
        string strides = string.Join(", ", known.SparseAxesOfView(parameter.Type)!.Select(axis => name + "__stride_" + Axes[axis]));
        return "var " + name + " = new " + view + "(" + name + "__base, new " + known.Ilgpu + "LongIndex" + rank + "D(" + extent + "), new " + stride + "(" + strides + "));";
    }

    private static readonly string[] Axes = { "x", "y", "z" };
}
