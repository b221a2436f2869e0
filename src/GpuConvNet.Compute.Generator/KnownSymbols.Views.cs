using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace GpuConvNet.Compute.Generator;

/// <summary>ILGPU's 2-D and 3-D views and their strides, as the kernel language mirrors them.</summary>
internal sealed partial class KnownSymbols
{
    public INamedTypeSymbol? ArrayView3D => arrayView3D ??= Get("GpuConvNet.Compute.ArrayView3D`2");

    private INamedTypeSymbol? arrayView3D;

    public bool IsArrayView3D(ITypeSymbol? type) => IsGeneric(type, ArrayView3D);

    /// <summary>An ArrayView2D or ArrayView3D type.</summary>
    public bool IsStridedView(ITypeSymbol? type) => IsArrayView2D(type) || IsArrayView3D(type);

    /// <summary>2 for an ArrayView2D type, 3 for an ArrayView3D type, else 0.</summary>
    public int ViewRank(ITypeSymbol? type) => IsArrayView2D(type) ? 2 : IsArrayView3D(type) ? 3 : 0;

    /// <summary>
    /// The axes (0 = X, 1 = Y, 2 = Z) whose stride is not 1 in <paramref name="stride"/>, one of the strides the
    /// language lays out (Stride2D.DenseX/DenseY, Stride3D.DenseXY/DenseZY), in X, Y, Z order — the order of the
    /// stride's own constructor parameters — or null for any other stride type.
    /// </summary>
    public int[]? SparseAxes(ITypeSymbol? stride) => StrideName(stride) switch
    {
        "DenseX" => [1],
        "DenseY" => [0],
        "DenseXY" => [1, 2],
        "DenseZY" => [0, 1],
        _ => null,
    };

    /// <summary>The sparse axes of a 2-D or 3-D view type's stride (<see cref="SparseAxes"/>).</summary>
    public int[]? SparseAxesOfView(ITypeSymbol view) => SparseAxes(((INamedTypeSymbol)view).TypeArguments[1]);

    /// <summary>"DenseX", "DenseY", "DenseXY" or "DenseZY" for the language's stride types, else null.</summary>
    public string? StrideName(ITypeSymbol? stride) =>
        stride is INamedTypeSymbol { ContainingType: { } owner } named && StrideContainers.Contains(owner.ToDisplayString())
        && named.ContainingNamespace.ToDisplayString() == "GpuConvNet.Compute" && named.Name is "DenseX" or "DenseY" or "DenseXY" or "DenseZY"
            ? named.Name
            : null;

    private static readonly HashSet<string> StrideContainers = new() { "GpuConvNet.Compute.Stride2D", "GpuConvNet.Compute.Stride3D" };
}
