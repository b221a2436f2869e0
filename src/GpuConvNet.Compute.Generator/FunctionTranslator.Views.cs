using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GpuConvNet.Compute.Generator;

/// <summary>
/// ILGPU's 2-D and 3-D views (<c>ArrayView2D&lt;T, Stride2D.DenseX&gt;</c>, <c>ArrayView3D&lt;T, Stride3D.DenseXY&gt;</c>, …):
/// as kernel parameters (lowered by the launch to a base view, the extent and the strides that are not 1), as shared
/// tiles (<c>SharedMemory.Allocate2D/3D</c> and their Dense forms, sized when the kernel compiles) and as sub-views of
/// either (<c>SubView(offset, extent)</c>). Each is a pointer with a <see cref="StridedLayout"/>; an element is read
/// at ILGPU's offset, so every engine keeps the view's layout.
/// </summary>
internal sealed partial class FunctionTranslator
{
    /// <summary>A 2-D or 3-D view parameter: its base view, then its extent, then its strides that are not 1.</summary>
    private void DeclareStridedView(KernelFrame frame, IParameterSymbol parameter)
    {
        // The launch lowers the view (Accelerator.LowerViews, IStridedView.Lowered) in this order.
        var (name, length) = DeclareView(frame, parameter);
        int rank = Known.ViewRank(parameter.Type);
        var extents = Enumerable.Range(0, rank).Select(d => Reserve(parameter.Name + "_extent_" + Axes[d])).ToList();
        var sparse = Known.SparseAxesOfView(parameter.Type)!;
        var strides = Enumerable.Repeat("1", rank).ToArray();
        foreach (int axis in sparse)
        {
            strides[axis] = Reserve(parameter.Name + "_stride_" + Axes[axis]);
        }
        var scalars = extents.Concat(sparse.Select(axis => strides[axis])).ToList();
        frame.Signature.AddRange(scalars.Select(s => "int " + s));
        frame.Arguments.AddRange(scalars);
        variables[parameter] = new Variable(VariableKind.StridedView, name, length) { Layout = new StridedLayout(extents, strides) };
    }

    /// <summary>
    /// <c>view.IntExtent.X</c> (Y, Z), <c>view.Stride.XStride</c> (Y, Z), <c>view.Length</c>, <c>view.IntLength</c> of a
    /// 2-D or 3-D view, or null for any other member.
    /// </summary>
    private string? StridedMember(MemberAccessExpressionSyntax member, ISymbol? symbol)
    {
        if (symbol is IPropertySymbol { Name: "X" or "Y" or "Z" } && member.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "IntExtent" } extent
            && TargetVariable(extent.Expression, out var extentOf) && extentOf!.Kind == VariableKind.StridedView)
        {
            int axis = member.Name.Identifier.ValueText[0] - 'X';
            return extentOf.Layout!.Extents[axis];
        }
        if (symbol is IPropertySymbol { Name: "XStride" or "YStride" or "ZStride" } && member.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Stride" } stride
            && TargetVariable(stride.Expression, out var strideOf) && strideOf!.Kind == VariableKind.StridedView)
        {
            int axis = member.Name.Identifier.ValueText[0] - 'X';
            return axis < strideOf.Layout!.Rank ? strideOf.Layout.Strides[axis] : "0";
        }
        if (symbol is IPropertySymbol { Name: "Length" or "IntLength" } && TargetVariable(member.Expression, out var whole) && whole!.Kind == VariableKind.StridedView)
        {
            // ILGPU's Length of a 2-D or 3-D view is its base view's: for a sub-view, every element it spans.
            return whole.Length;
        }
        return null;
    }

    /// <summary>A 2-D or 3-D view's <c>BaseView</c>: the 1-D view its elements lie in (null for any other expression).</summary>
    private ViewExpression? StridedBase(ExpressionSyntax expression) =>
        expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "BaseView" } access && TargetVariable(access.Expression, out var view)
        && view!.Kind == VariableKind.StridedView
            ? new ViewExpression(view.Name, view.Length, view.Space)
            : null;

    /// <summary>
    /// <c>view[index]</c> of a 2-D or 3-D view: the index is the kernel's own (of the view's rank), <c>new Index2D(x, y)</c>
    /// (<c>new Index3D(x, y, z)</c>), <c>Grid.GlobalIndex</c> or <c>Group.Index</c> (3-D), or the coordinates themselves
    /// (<c>view[x, y]</c>).
    /// </summary>
    private string StridedElement(Variable view, ElementAccessExpressionSyntax element)
    {
        var arguments = element.ArgumentList.Arguments;
        int rank = view.Layout!.Rank;
        var index = arguments.Count == rank && rank > 1
            ? arguments.Select(a => Expression(a.Expression)).ToList()
            : arguments.Count == 1 ? IndexComponents(arguments[0].Expression, rank) : null;
        if (index is null)
        {
            Report(Generator.Diagnostics.UnsupportedExpression, element.ArgumentList.GetLocation(),
                "Indexing a " + rank + "-D view with '" + Shorten(element.ArgumentList) + "' (use the kernel's Index" + rank + "D, new Index" + rank +
                "D(…) or " + rank + " coordinates)");
            return "0";
        }
        return view.Name + "[" + view.Layout.Offset(index) + "]";
    }

    /// <summary>
    /// The components of an index of <paramref name="rank"/> dimensions as C — <c>new Index2D(…)</c>, the kernel's
    /// index, a view's <c>IntExtent</c>, a 3-D <c>Grid.GlobalIndex</c> or <c>Group.Index</c> — or null (the caller reports).
    /// </summary>
    private List<string>? IndexComponents(ExpressionSyntax index, int rank)
    {
        if (index is ObjectCreationExpressionSyntax { ArgumentList.Arguments: var arguments } && arguments.Count == rank
            && Known.IndexRank(model.GetTypeInfo(index).Type) == rank)
        {
            return arguments.Select(a => Expression(a.Expression)).ToList();
        }
        if (TargetVariable(index, out var whole) && whole!.Kind == VariableKind.Index && kernel?.IndexRank == rank)
        {
            return Axes.Take(rank).Select(axis => whole.Name + "_" + axis).ToList();
        }
        if (index is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "IntExtent" } extent && TargetVariable(extent.Expression, out var view)
            && view!.Kind == VariableKind.StridedView && view.Layout!.Rank == rank)
        {
            return view.Layout.Extents.ToList();
        }
        if (rank == 3 && model.GetSymbolInfo(index).Symbol is IPropertySymbol { Name: "GlobalIndex" or "Index" } position
            && (KnownSymbols.Is(position.ContainingType, Known.Grid) && position.Name == "GlobalIndex" || KnownSymbols.Is(position.ContainingType, Known.Group)))
        {
            var builtin = position.Name == "GlobalIndex" ? BuiltinIndex.Global : BuiltinIndex.Local;
            return Enumerable.Range(0, 3).Select(d => GroupBuiltin(index, builtin, d)).ToList();
        }
        return null;
    }

    /// <summary>
    /// A 2-D or 3-D view local: a shared tile (<c>SharedMemory.Allocate2D</c> …), a sub-view of another such view, or
    /// another name for one.
    /// </summary>
    private void StridedDeclaration(VariableDeclaratorSyntax variable)
    {
        var symbol = (ILocalSymbol)model.GetDeclaredSymbol(variable)!;
        var value = variable.Initializer?.Value;
        while (value is ParenthesizedExpressionSyntax parenthesized)
        {
            value = parenthesized.Expression;
        }
        if (value is not null && IsSharedAllocation(value, out var allocation))
        {
            SharedTile(variable, symbol, allocation);
            return;
        }
        if (value is not null && TargetVariable(value, out var same) && same!.Kind == VariableKind.StridedView)
        {
            variables[symbol] = same;
            return;
        }
        if (value is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "SubView" } access } subView
            && TargetVariable(access.Expression, out var source) && source!.Kind == VariableKind.StridedView)
        {
            StridedSubView(variable, symbol, source, subView);
            return;
        }
        Report(Generator.Diagnostics.UnsupportedExpression, (value ?? (SyntaxNode)variable).GetLocation(),
            "A 2-D or 3-D view from '" + (value is null ? "nothing" : Shorten(value)) + "' (kernel code gets one as a parameter, from SharedMemory.Allocate2D/3D, " +
            "or as a SubView of one)");
        Unusable(symbol, variable);
    }

    /// <summary>
    /// <c>SharedMemory.Allocate2D&lt;T, TStride&gt;(new Index2D(x, y), new TStride(s))</c>, <c>Allocate3D</c>, and
    /// <c>Allocate2DDenseX/Y</c>, <c>Allocate3DDenseXY/ZY</c>: a shared array as long as ILGPU's buffer for that extent
    /// and stride (the offset of the last element, plus one), declared at kernel scope like every shared array.
    /// </summary>
    private void SharedTile(VariableDeclaratorSyntax variable, ILocalSymbol symbol, InvocationExpressionSyntax allocation)
    {
        if (!SharedMemoryAllowed(allocation))
        {
            Unusable(symbol, variable);
            return;
        }
        var target = (IMethodSymbol)model.GetSymbolInfo(allocation).Symbol!;
        int rank = Known.ViewRank(target.ReturnType);
        var arguments = allocation.ArgumentList.Arguments;
        var extents = arguments.Count > 0 ? CompileTimeComponents(arguments[0].Expression, rank) : null;
        string[]? strides = extents is null ? null : target.Name switch
        {
            "Allocate2DDenseX" => ["1", extents[0]],
            "Allocate2DDenseY" => [extents[1], "1"],
            "Allocate3DDenseXY" => ["1", extents[0], Product(extents[0], extents[1])],
            "Allocate3DDenseZY" => [Product(extents[1], extents[2]), extents[2], "1"],
            _ => arguments.Count > 1 ? DeclaredStrides(arguments[1].Expression, target.TypeArguments[1], rank) : null,
        };
        if (extents is null || strides is null)
        {
            var size = extents is null && arguments.Count > 0 ? arguments[0].Expression : arguments.Count > 1 ? arguments[1].Expression : (ExpressionSyntax)allocation;
            Report(Generator.Diagnostics.NonConstantSize, size.GetLocation(), variable.Identifier.Text);
            Unusable(symbol, variable);
            return;
        }
        var element = target.TypeArguments[0];
        string length = TileLength(extents, strides);
        string name = Reserve(variable.Identifier.Text);
        sharedDeclarations.Add(Dialect.SharedArray(CType(element, variable.Identifier.GetLocation()), name, length));
        CountShared(element, length);
        variables[symbol] = new Variable(VariableKind.StridedView, name, length, AddressSpace.Local) { Layout = new StridedLayout(extents, strides) };
    }

    /// <summary>A view local that could not be declared, known from here on so that its uses report nothing more.</summary>
    private void Unusable(ILocalSymbol symbol, VariableDeclaratorSyntax variable)
    {
        int rank = Known.ViewRank(symbol.Type);
        variables[symbol] = new Variable(VariableKind.StridedView, Reserve(variable.Identifier.Text))
        {
            Layout = new StridedLayout(Enumerable.Repeat("0", rank).ToList(), Enumerable.Repeat("1", rank).ToList()),
        };
    }

    /// <summary>The components of <c>new Index2D(…)</c> (<c>new Index3D(…)</c>), each known when the kernel compiles; else null.</summary>
    private string[]? CompileTimeComponents(ExpressionSyntax index, int rank)
    {
        if (index is not ObjectCreationExpressionSyntax { ArgumentList.Arguments: var arguments } || arguments.Count != rank
            || Known.IndexRank(model.GetTypeInfo(index).Type) != rank)
        {
            return null;
        }
        var components = arguments.Select(a => CompileTimeSize(a.Expression)).ToArray();
        return components.Any(c => c is null) ? null : components.Select(c => c!).ToArray();
    }

    /// <summary>The strides <c>new Stride2D.DenseX(s)</c> (…) declares, per dimension, each known when the kernel compiles; else null.</summary>
    private string[]? DeclaredStrides(ExpressionSyntax stride, ITypeSymbol strideType, int rank)
    {
        var sparse = Known.SparseAxes(strideType);
        if (sparse is null || stride is not ObjectCreationExpressionSyntax { ArgumentList.Arguments: var arguments } || arguments.Count != sparse.Length)
        {
            return null;
        }
        var strides = Enumerable.Repeat("1", rank).ToArray();
        for (int i = 0; i < sparse.Length; i++)
        {
            if (CompileTimeSize(arguments[i].Expression) is not { } value)
            {
                return null;
            }
            strides[sparse[i]] = value;
        }
        return strides;
    }

    /// <summary><c>source.SubView(offset, extent)</c>: the element at offset is the new view's first, with the same strides.</summary>
    private void StridedSubView(VariableDeclaratorSyntax variable, ILocalSymbol symbol, Variable source, InvocationExpressionSyntax subView)
    {
        var layout = source.Layout!;
        var arguments = subView.ArgumentList.Arguments;
        var offset = arguments.Count == 2 ? IndexComponents(arguments[0].Expression, layout.Rank) : null;
        var extent = arguments.Count == 2 ? IndexComponents(arguments[1].Expression, layout.Rank) : null;
        if (offset is null || extent is null)
        {
            Report(Generator.Diagnostics.UnsupportedExpression, subView.ArgumentList.GetLocation(),
                "A SubView of a " + layout.Rank + "-D view with '" + Shorten(subView.ArgumentList) + "' (pass new Index" + layout.Rank + "D(…) offset and extent)");
            variables[symbol] = source;
            return;
        }
        string element = CType(KnownSymbols.ElementOf(symbol.Type), variable.Identifier.GetLocation());
        string name = Reserve(variable.Identifier.Text);
        Line(Dialect.Pointer(source.Space, element) + " " + name + " = " + source.Name + " + " + layout.Offset(offset) + ";");
        var extents = new List<string>();
        for (int d = 0; d < layout.Rank; d++)
        {
            string extentName = Reserve(variable.Identifier.Text + "_extent_" + Axes[d]);
            Line("const int " + extentName + " = " + extent[d] + ";");
            extents.Add(extentName);
        }
        // Its base spans its elements, from its first to its last, as ILGPU's SubView's does.
        string span = Reserve(variable.Identifier.Text + "_len");
        Line("const int " + span + " = " + TileLength(extents, layout.Strides) + ";");
        variables[symbol] = new Variable(VariableKind.StridedView, name, span, source.Space) { Layout = new StridedLayout(extents, layout.Strides) };
    }

    /// <summary>The elements of a tile: the offset of its last element, plus one (ILGPU's buffer length for the stride).</summary>
    private static string TileLength(IReadOnlyList<string> extents, IReadOnlyList<string> strides)
    {
        if (extents.Concat(strides).All(IsNumber))
        {
            long last = extents.Select((e, d) => (long.Parse(e, CultureInfo.InvariantCulture) - 1) * long.Parse(strides[d], CultureInfo.InvariantCulture)).Sum();
            return (last + 1).ToString(CultureInfo.InvariantCulture);
        }
        return "(" + string.Join(" + ", extents.Select((e, d) => strides[d] == "1" ? "(" + e + " - 1)" : "(" + e + " - 1) * " + strides[d])) + " + 1)";
    }

    private static string Product(string a, string b) => IsNumber(a) && IsNumber(b)
        ? (long.Parse(a, CultureInfo.InvariantCulture) * long.Parse(b, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture)
        : "(" + a + " * " + b + ")";

    private static bool IsNumber(string text) => text.Length > 0 && text.All(char.IsDigit);

    /// <summary>Counts a shared array of constant length toward the kernel's static shared memory (KernelDefinition.StaticSharedMemoryBytes).</summary>
    private void CountShared(ITypeSymbol element, string length)
    {
        if (kernel is not null && IsNumber(length))
        {
            program.StaticSharedBytes += long.Parse(length, CultureInfo.InvariantCulture) * ElementSize(element.SpecialType);
        }
    }

    /// <summary>The size in bytes of a scalar of the kernel language, in C.</summary>
    private static int ElementSize(SpecialType type) => type switch
    {
        SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Boolean => 1,
        SpecialType.System_Int16 or SpecialType.System_UInt16 => 2,
        SpecialType.System_Int64 or SpecialType.System_UInt64 => 8,
        _ => 4,
    };
}
