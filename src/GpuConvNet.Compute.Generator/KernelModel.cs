using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GpuConvNet.Compute.Generator;

/// <summary>
/// A kernel — a [Kernel] method, or a static method handed to one of ILGPU's loading calls
/// (<c>accelerator.LoadAutoGroupedStreamKernel&lt;…&gt;(Method)</c>) — whose declaration and parameters are valid
/// (GCN0001, GCN0002 otherwise).
/// </summary>
internal sealed class KernelModel
{
    private KernelModel(IMethodSymbol symbol, MethodDeclarationSyntax syntax, int indexRank, bool allowContraction, bool beside)
    {
        AllowContraction = allowContraction;
        Symbol = symbol;
        Syntax = syntax;
        IndexRank = indexRank;
        Beside = beside;
        EntryPoint = symbol.ContainingType.Name + "_" + symbol.Name;
    }

    /// <summary>
    /// True when the kernel's class is not a static partial class (an ILGPU program's <c>class Program</c>): its
    /// generated code lives in a class of its own beside it, <see cref="HostClass"/>, which reaches the kernel through
    /// reflection and has the class's constants written in as literals.
    /// </summary>
    public bool Beside { get; }

    /// <summary>The class that holds the generated code: the kernel's own, or the one beside it.</summary>
    public string HostClass => HostClassOf(Symbol.ContainingType, Beside);

    /// <summary>The generated class beside <paramref name="type"/> when <paramref name="beside"/>, else the type's own name.</summary>
    public static string HostClassOf(INamedTypeSymbol type, bool beside) => beside ? type.Name + "__Kernels" : type.Name;

    public IMethodSymbol Symbol { get; }

    public MethodDeclarationSyntax Syntax { get; }

    /// <summary>1..3 for Index1D/2D/3D kernels, 0 for explicitly grouped ones.</summary>
    public int IndexRank { get; }

    public bool IsGrouped => IndexRank == 0;

    /// <summary>[Kernel(AllowContraction = true)]: the device compilers may fuse multiply-adds.</summary>
    public bool AllowContraction { get; }

    public string EntryPoint { get; }

    /// <summary>The OpenCL entry point whose lanes loop over blocks of indices (as KernelDefinition.RowsEntryPoint).</summary>
    public string RowsEntryPoint => EntryPoint + "_rows";

    /// <summary>The parameters after the index.</summary>
    public IEnumerable<IParameterSymbol> Parameters => Symbol.Parameters.Skip(IndexRank > 0 ? 1 : 0);

    /// <summary>
    /// The kernel <paramref name="symbol"/> declares, or null after reporting why it cannot be one. A
    /// <paramref name="loaded"/> kernel (found through a loading call, without [Kernel]) may live in any top-level class.
    /// </summary>
    public static KernelModel? Create(IMethodSymbol symbol, MethodDeclarationSyntax syntax, KnownSymbols known, DiagnosticSink diagnostics, bool loaded = false)
    {
        var location = syntax.Identifier.GetLocation();
        var type = symbol.ContainingType;
        bool ownClass = type.IsStatic && IsPartial(type);
        string? problem =
            !symbol.IsStatic ? "must be static"
            : !symbol.ReturnsVoid ? "must return void (kernels write their results to views)"
            : symbol.IsGenericMethod ? "may not be generic"
            : type.ContainingType is not null ? "must be declared in a top-level class, not a nested one"
            : !ownClass && !loaded ? "must be declared in a static partial class (the generator adds its device code to the class)"
            : syntax.Body is null ? "must have a block body"
            : type.GetMembers(symbol.Name).Length > 1 ? "is overloaded: kernel names must be unique in their class"
            : null;
        if (problem is not null)
        {
            diagnostics.Report(Diagnostics.InvalidKernelDeclaration, location, symbol.Name, problem);
            return null;
        }
        int rank = symbol.Parameters.Length > 0 ? known.IndexRank(symbol.Parameters[0].Type) : 0;
        bool valid = true;
        foreach (var parameter in symbol.Parameters.Skip(rank > 0 ? 1 : 0))
        {
            if (IlgpuCounterparts.IsIlgpu(parameter.Type))
            {
                diagnostics.Report(Diagnostics.IlgpuMember, parameter.Locations[0], parameter.Type.ToDisplayString(), IlgpuCounterparts.Advice(parameter.Type));
                valid = false;
            }
            else if (parameter.RefKind != RefKind.None || !IsSupportedParameter(parameter.Type, known))
            {
                diagnostics.Report(Diagnostics.UnsupportedParameter, parameter.Locations[0], parameter.Name, symbol.Name,
                    (parameter.RefKind != RefKind.None ? parameter.RefKind.ToString().ToLowerInvariant() + " " : "") + parameter.Type.ToDisplayString());
                valid = false;
            }
        }
        if (symbol.Parameters.Length - (rank > 0 ? 1 : 0) > 14)
        {
            diagnostics.Report(Diagnostics.InvalidKernelDeclaration, location, symbol.Name, "has more than 14 parameters after its index");
            valid = false;
        }
        bool contraction = symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "GpuConvNet.Compute.KernelAttribute"
            && a.NamedArguments.Any(n => n.Key == "AllowContraction" && n.Value.Value is true));
        return valid ? new KernelModel(symbol, syntax, rank, contraction, beside: !ownClass) : null;
    }

    private static bool IsSupportedParameter(ITypeSymbol type, KnownSymbols known)
    {
        if (known.IsSpecializedValue(type))
        {
            return KnownSymbols.ElementOf(type).SpecialType is SpecialType.System_Int32 or SpecialType.System_UInt32
                or SpecialType.System_Int64 or SpecialType.System_Single;
        }
        if (known.IsStridedView(type))
        {
            return known.SparseAxesOfView(type) is not null && KnownSymbols.ElementOf(type).SpecialType is SpecialType.System_Single or SpecialType.System_Int32
                or SpecialType.System_UInt32 or SpecialType.System_Byte;
        }
        if (known.IsArrayView(type))
        {
            return KnownSymbols.ElementOf(type).SpecialType is SpecialType.System_Single or SpecialType.System_Int32
                or SpecialType.System_UInt32 or SpecialType.System_Byte;
        }
        return type.SpecialType is SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64
            or SpecialType.System_Single;
    }

    private static bool IsPartial(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.All(r =>
            r.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));
}
