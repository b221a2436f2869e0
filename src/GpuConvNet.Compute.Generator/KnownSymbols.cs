using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GpuConvNet.Compute.Generator;

/// <summary>The types of the kernel language, resolved once per compilation.</summary>
internal sealed partial class KnownSymbols
{
    public KnownSymbols(Compilation compilation)
    {
        Compilation = compilation;
        ArrayView = Get("GpuConvNet.Compute.ArrayView`1");
        ArrayView2D = Get("GpuConvNet.Compute.ArrayView2D`2");
        DenseX = Get("GpuConvNet.Compute.Stride2D+DenseX");
        DenseY = Get("GpuConvNet.Compute.Stride2D+DenseY");
        Index1D = Get("GpuConvNet.Compute.Index1D");
        Index2D = Get("GpuConvNet.Compute.Index2D");
        Index3D = Get("GpuConvNet.Compute.Index3D");
        Group = Get("GpuConvNet.Compute.Group");
        Grid = Get("GpuConvNet.Compute.Grid");
        SharedMemory = Get("GpuConvNet.Compute.SharedMemory");
        LocalMemory = Get("GpuConvNet.Compute.LocalMemory");
        Atomic = Get("GpuConvNet.Compute.Atomic");
        Warp = Get("GpuConvNet.Compute.Warp");
        GroupExtensions = Get("GpuConvNet.Compute.GroupExtensions");
        WarpExtensions = Get("GpuConvNet.Compute.WarpExtensions");
        ScanReduceOperation = Get("GpuConvNet.Compute.IScanReduceOperation`1");
        KernelFunctionAttribute = Get("GpuConvNet.Compute.KernelFunctionAttribute");
        SpecializedValue = Get("GpuConvNet.Compute.SpecializedValue`1");
        SpecializedValueFactory = Get("GpuConvNet.Compute.SpecializedValue");
        Span = Get("System.Span`1");
        MathF = Get("System.MathF");
        Math = Get("System.Math");
        IlgpuArrayView = GetReferenced("ILGPU.ArrayView`1");
        XMath = GetReferenced("ILGPU.Algorithms.XMath");
        string ilgpuAlias = AliasOf(IlgpuArrayView), algorithmsAlias = AliasOf(XMath);
        Ilgpu = ilgpuAlias + "::ILGPU.";
        IlgpuAlgorithms = algorithmsAlias + "::ILGPU.Algorithms.";
        ExternAliasDirectives = string.Concat(new[] { ilgpuAlias, algorithmsAlias }.Where(a => a != "global").Distinct().Select(a => "extern alias " + a + ";\n"));
    }

    /// <summary>
    /// How the twins spell ILGPU's namespace, <c>global::ILGPU.</c>, or through the extern alias a project gives
    /// ILGPU's assembly (IlgpuSource.targets: <c>ilgpu::ILGPU.</c>) so that its own <c>using ILGPU;</c> means this
    /// library's names.
    /// </summary>
    public string Ilgpu { get; }

    /// <summary>ILGPU.Algorithms' namespace as the twins spell it (see <see cref="Ilgpu"/>).</summary>
    public string IlgpuAlgorithms { get; }

    /// <summary>The extern alias directives of a generated file that names ILGPU's types (none when ILGPU is reached globally).</summary>
    public string ExternAliasDirectives { get; }

    public Compilation Compilation { get; }

    public INamedTypeSymbol? ArrayView { get; }

    /// <summary>ILGPU's 2-D view, with <see cref="DenseX"/> or <see cref="DenseY"/> as its stride.</summary>
    public INamedTypeSymbol? ArrayView2D { get; }

    public INamedTypeSymbol? DenseX { get; }

    public INamedTypeSymbol? DenseY { get; }

    public bool IsArrayView2D(ITypeSymbol? type) => IsGeneric(type, ArrayView2D);

    public INamedTypeSymbol? Index1D { get; }

    public INamedTypeSymbol? Index2D { get; }

    public INamedTypeSymbol? Index3D { get; }

    public INamedTypeSymbol? Group { get; }

    public INamedTypeSymbol? Grid { get; }

    public INamedTypeSymbol? SharedMemory { get; }

    /// <summary>ILGPU's private arrays: <c>LocalMemory.Allocate&lt;T&gt;(n)</c>, as <c>stackalloc</c> but not zeroed.</summary>
    public INamedTypeSymbol? LocalMemory { get; }

    public INamedTypeSymbol? Atomic { get; }

    /// <summary>ILGPU's warp intrinsics (Warp.LaneIdx, Warp.ShuffleDown, …).</summary>
    public INamedTypeSymbol? Warp { get; }

    /// <summary>ILGPU.Algorithms' group reductions and scans (GroupExtensions.Reduce&lt;T, TReduction&gt;, …).</summary>
    public INamedTypeSymbol? GroupExtensions { get; }

    /// <summary>ILGPU.Algorithms' warp reductions and scans.</summary>
    public INamedTypeSymbol? WarpExtensions { get; }

    /// <summary>The interface of the reduction operations (AddFloat, MaxInt32, …).</summary>
    public INamedTypeSymbol? ScanReduceOperation { get; }

    /// <summary>
    /// True for one of the kernel language's own reduction operations (GpuConvNet.Compute.AddFloat, …), which the
    /// generator lowers; a type of the user's that implements the interface is not one.
    /// </summary>
    public bool IsReductionOperation(ITypeSymbol? type) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Struct } named && ScanReduceOperation is not null
        && SymbolEqualityComparer.Default.Equals(named.ContainingAssembly, ScanReduceOperation.ContainingAssembly)
        && named.AllInterfaces.Any(i => Is(i.OriginalDefinition, ScanReduceOperation));

    public INamedTypeSymbol? KernelFunctionAttribute { get; }

    public INamedTypeSymbol? Span { get; }

    /// <summary>A kernel parameter compiled into the device code (one program per value).</summary>
    public INamedTypeSymbol? SpecializedValue { get; }

    /// <summary>The static class with <c>SpecializedValue.New</c>.</summary>
    public INamedTypeSymbol? SpecializedValueFactory { get; }

    public INamedTypeSymbol? MathF { get; }

    public INamedTypeSymbol? Math { get; }

    /// <summary>ILGPU's view type: when the compilation references ILGPU, kernels also get ILGPU twins.</summary>
    public INamedTypeSymbol? IlgpuArrayView { get; }

    /// <summary>ILGPU.Algorithms' math functions, which ILGPU maps to each backend's intrinsics.</summary>
    public INamedTypeSymbol? XMath { get; }

    /// <summary>True when ILGPU and ILGPU.Algorithms are referenced, so that twins compile.</summary>
    public bool HasIlgpu => IlgpuArrayView is not null && XMath is not null;

    public bool IsArrayView(ITypeSymbol? type) => IsGeneric(type, ArrayView);

    public bool IsSpan(ITypeSymbol? type) => IsGeneric(type, Span);

    public bool IsSpecializedValue(ITypeSymbol? type) => IsGeneric(type, SpecializedValue);

    /// <summary>1, 2 or 3 for Index1D/2D/3D, else 0.</summary>
    public int IndexRank(ITypeSymbol? type) =>
        Is(type, Index1D) ? 1 : Is(type, Index2D) ? 2 : Is(type, Index3D) ? 3 : 0;

    public static ITypeSymbol ElementOf(ITypeSymbol generic) => ((INamedTypeSymbol)generic).TypeArguments[0];

    /// <summary>
    /// True for a kernel function that waits at a barrier, itself or through a kernel function it calls: a group
    /// function, callable only from explicitly grouped kernels and only as a statement of its own.
    /// </summary>
    public bool WaitsAtBarriers(IMethodSymbol function)
    {
        if (waits.TryGetValue(function, out bool known))
        {
            return known;
        }
        waits[function] = false; // a call cycle (GCN0006) ends here
        bool result = false;
        if (function.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is MethodDeclarationSyntax syntax)
        {
            var model = Compilation.GetSemanticModel(syntax.SyntaxTree);
            result = syntax.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(call =>
                model.GetSymbolInfo(call).Symbol is IMethodSymbol target
                && (((target.Name == "Barrier" || IsGroupCollective(target)) && Is(target.ContainingType, Group))
                    || (IsKernelFunction(target) && WaitsAtBarriers(target))));
        }
        waits[function] = result;
        return result;
    }

    /// <summary>Group.Broadcast, BarrierAnd, BarrierOr, BarrierPopCount: calls that wait at barriers and return a value.</summary>
    public static bool IsGroupCollective(IMethodSymbol method) =>
        method.Name is "Broadcast" or "BarrierAnd" or "BarrierOr" or "BarrierPopCount";

    private readonly Dictionary<IMethodSymbol, bool> waits = new(SymbolEqualityComparer.Default);

    public bool IsKernelFunction(IMethodSymbol method) =>
        method.GetAttributes().Any(a => Is(a.AttributeClass, KernelFunctionAttribute)) || loadedCallees.Contains(method.OriginalDefinition);

    /// <summary>
    /// Makes every static method of this compilation that <paramref name="kernel"/> (a kernel found through a loading
    /// call, as ILGPU finds them) reaches a kernel function, [KernelFunction] or not, as ILGPU compiles whatever a
    /// kernel calls.
    /// </summary>
    public void AddLoadedKernelCallees(IMethodSymbol kernel)
    {
        var pending = new Stack<IMethodSymbol>();
        pending.Push(kernel);
        while (pending.Count > 0)
        {
            var method = pending.Pop();
            if (method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not MethodDeclarationSyntax syntax)
            {
                continue;
            }
            var model = Compilation.GetSemanticModel(syntax.SyntaxTree);
            foreach (var call in syntax.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (model.GetSymbolInfo(call).Symbol is IMethodSymbol { IsStatic: true, MethodKind: MethodKind.Ordinary } target
                    && SymbolEqualityComparer.Default.Equals(target.ContainingAssembly, Compilation.Assembly)
                    && target.DeclaringSyntaxReferences.Length > 0 && loadedCallees.Add(target.OriginalDefinition))
                {
                    pending.Push(target);
                }
            }
        }
    }

    private readonly HashSet<IMethodSymbol> loadedCallees = new(SymbolEqualityComparer.Default);

    public static bool Is(ISymbol? symbol, ISymbol? known) =>
        known is not null && SymbolEqualityComparer.Default.Equals(symbol, known);

    private static bool IsGeneric(ITypeSymbol? type, INamedTypeSymbol? known) =>
        type is INamedTypeSymbol named && named.IsGenericType && Is(named.OriginalDefinition, known);

    private INamedTypeSymbol? Get(string name) => Compilation.GetTypeByMetadataName(name);

    // A type of a referenced assembly, whether reached globally or only through an extern alias (which the compilation's
    // own lookup leaves out).
    private INamedTypeSymbol? GetReferenced(string name) => Get(name) ?? Compilation.References
        .Select(reference => (Compilation.GetAssemblyOrModuleSymbol(reference) as IAssemblySymbol)?.GetTypeByMetadataName(name))
        .FirstOrDefault(type => type is not null);

    // The alias of the reference holding type's assembly: "global" unless the reference has only other aliases.
    private string AliasOf(INamedTypeSymbol? type)
    {
        if (type is null)
        {
            return "global";
        }
        foreach (var reference in Compilation.References)
        {
            if (SymbolEqualityComparer.Default.Equals(Compilation.GetAssemblyOrModuleSymbol(reference), type.ContainingAssembly))
            {
                var aliases = reference.Properties.Aliases;
                return aliases.IsEmpty || aliases.Contains("global") ? "global" : aliases[0];
            }
        }
        return "global";
    }
}
