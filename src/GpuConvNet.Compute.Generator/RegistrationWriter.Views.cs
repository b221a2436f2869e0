using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GpuConvNet.Compute.Generator;

/// <summary>What a kernel's registration says of its shared memory (KernelDefinition.StaticSharedMemoryBytes, DynamicSharedMemory).</summary>
internal readonly record struct KernelSharedMemory(long StaticBytes, bool Dynamic);

internal static partial class RegistrationWriter
{
    private static readonly string[] Axes = { "X", "Y", "Z" };

    /// <summary>How many launch arguments a parameter becomes: a 2-D view 4, a 3-D view 6 (Accelerator.LowerViews), else 1.</summary>
    private static int LoweredCount(ITypeSymbol type, KnownSymbols known) =>
        known.IsStridedView(type) ? 1 + known.ViewRank(type) + known.SparseAxesOfView(type)!.Length : 1;

    /// <summary>The CPU body's argument of <paramref name="type"/> from <c>args</c> at <paramref name="position"/>; a 2-D or 3-D view rebuilt.</summary>
    private static string ArgumentCast(ITypeSymbol type, int position, KnownSymbols known)
    {
        if (!known.IsStridedView(type))
        {
            return "(" + Display(type) + ")args[" + position + "]";
        }
        var typeArguments = ((INamedTypeSymbol)type).TypeArguments;
        int rank = known.ViewRank(type);
        string Int(int offset) => "(int)args[" + (position + offset).ToString(CultureInfo.InvariantCulture) + "]!";
        string extent = string.Join(", ", Enumerable.Range(1, rank).Select(Int));
        string strides = string.Join(", ", Enumerable.Range(1 + rank, known.SparseAxesOfView(type)!.Length).Select(Int));
        return "new " + Display(type) + "((" + Compute + "ArrayView<" + Display(typeArguments[0]) + ">)args[" + position + "], new " + Compute +
            "Index" + rank + "D(" + extent + "), new " + Display(typeArguments[1]) + "(" + strides + "))";
    }

    /// <summary>The KernelParameters of a 2-D or 3-D view: its base view, its extent, its strides that are not 1.</summary>
    private static void WriteLoweredParameters(StringBuilder text, IParameterSymbol parameter, KnownSymbols known)
    {
        string name = parameter.Name;
        text.Append("                new(").Append(SymbolDisplay.FormatLiteral(name, true)).Append(", ").Append(Compute)
            .Append("KernelParameterKind.View, typeof(").Append(Display(KnownSymbols.ElementOf(parameter.Type))).Append(")),\n");
        int rank = known.ViewRank(parameter.Type);
        var parts = Axes.Take(rank).Select(axis => ".IntExtent." + axis)
            .Concat(known.SparseAxesOfView(parameter.Type)!.Select(axis => ".Stride." + Axes[axis] + "Stride"));
        foreach (string part in parts)
        {
            text.Append("                new(").Append(SymbolDisplay.FormatLiteral(name + part, true)).Append(", ").Append(Compute)
                .Append("KernelParameterKind.Scalar, typeof(int)),\n");
        }
    }

    /// <summary>The definition's shared-memory properties (object initializers), where they differ from their defaults.</summary>
    private static IEnumerable<string> SharedMemoryInitializers(KernelSharedMemory shared)
    {
        if (shared.StaticBytes > 0)
        {
            yield return "StaticSharedMemoryBytes = " + shared.StaticBytes.ToString(CultureInfo.InvariantCulture);
        }
        if (shared.Dynamic)
        {
            yield return "DynamicSharedMemory = true";
        }
    }
}
