using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GpuConvNet.Compute.Generator;

/// <summary>
/// Rewrites a kernel's or kernel function's body (already validated against the kernel language) into ILGPU's API:
/// our views, indices, Group, Grid, SharedMemory and Atomic become ILGPU's (same members); <c>view.Length</c> becomes
/// <c>IntLength</c> (ILGPU's Length is a long); a private array (<c>Span&lt;T&gt; = stackalloc</c>, which ILGPU's
/// compiler cannot read) becomes <c>LocalMemory.Allocate</c>, zeroed or filled explicitly as C# would; float
/// intrinsics go to <c>XMath</c>; constants are written as literals and kernel-function calls go to their twins, so the
/// twin needs no using directive of the source file. Anything without an ILGPU form is reported as GCN0016.
/// </summary>
internal sealed partial class IlgpuTwinRewriter : CSharpSyntaxRewriter
{
    private readonly SemanticModel model;
    private readonly KnownSymbols known;
    private readonly DiagnosticSink diagnostics;
    private readonly IParameterSymbol? index;
    private readonly List<IMethodSymbol> calledFunctions = new();
    private int privateArrays;

    public IlgpuTwinRewriter(SemanticModel model, KnownSymbols known, DiagnosticSink diagnostics, IParameterSymbol? index)
    {
        this.model = model;
        this.known = known;
        this.diagnostics = diagnostics;
        this.index = index;
    }

    /// <summary>The kernel functions the rewritten code calls (their twins must be emitted too).</summary>
    public IReadOnlyList<IMethodSymbol> CalledFunctions => calledFunctions;

    /// <summary>The twin's spelling of a parameter, local or return type.</summary>
    public string TypeName(ITypeSymbol type) => TypeName(type, known);

    /// <summary>The twin's spelling of <paramref name="type"/> (a view or span becomes ILGPU's view, an index ILGPU's index).</summary>
    public static string TypeName(ITypeSymbol type, KnownSymbols known)
    {
        if (ViewTypeName(type, known) is { } view)
        {
            return view;
        }
        if (known.IsArrayView(type) || known.IsSpan(type))
        {
            return known.Ilgpu + "ArrayView<" + KnownSymbols.ElementOf(type).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ">";
        }
        if (known.IsSpecializedValue(type))
        {
            return known.Ilgpu + "Runtime.SpecializedValue<" + KnownSymbols.ElementOf(type).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ">";
        }
        int rank = known.IndexRank(type);
        return rank > 0 ? known.Ilgpu + "Index" + rank + "D" : type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
    }

    public override SyntaxNode? VisitIdentifierName(IdentifierNameSyntax node)
    {
        if (Constant(model, node) is { } literal)
        {
            return literal;
        }
        var symbol = model.GetSymbolInfo(node).Symbol;
        if (MappedType(symbol) is { } mapped)
        {
            return ParseName(mapped).WithTriviaFrom(node);
        }
        // An Index1D used as a value is its X (our Index1D converts to int; ILGPU's would make i + 1 ambiguous).
        if (index is not null && SymbolEqualityComparer.Default.Equals(symbol, index) && known.IndexRank(index.Type) == 1
            && !(node.Parent is MemberAccessExpressionSyntax access && access.Expression == node))
        {
            return ParseExpression(node.Identifier.Text + ".X").WithTriviaFrom(node);
        }
        return base.VisitIdentifierName(node);
    }

    public override SyntaxNode? VisitGenericName(GenericNameSyntax node)
    {
        var symbol = model.GetSymbolInfo(node).Symbol;
        if (symbol is ITypeSymbol type && (known.IsArrayView(type) || known.IsSpan(type) || known.IsStridedView(type)))
        {
            return ParseTypeName(TypeName(type)).WithTriviaFrom(node);
        }
        return base.VisitGenericName(node);
    }

    public override SyntaxNode? VisitQualifiedName(QualifiedNameSyntax node)
    {
        var symbol = model.GetSymbolInfo(node).Symbol;
        if (symbol is ITypeSymbol type && (known.IsArrayView(type) || known.IndexRank(type) > 0 || MappedType(type) is not null))
        {
            return ParseTypeName(MappedType(type) ?? TypeName(type)).WithTriviaFrom(node);
        }
        return base.VisitQualifiedName(node);
    }

    public override SyntaxNode? VisitMemberAccessExpression(MemberAccessExpressionSyntax node)
    {
        if (Constant(model, node) is { } literal)
        {
            return literal;
        }
        var symbol = model.GetSymbolInfo(node).Symbol;
        if (MappedType(symbol) is { } mapped)
        {
            return ParseExpression(mapped).WithTriviaFrom(node);
        }
        if (symbol is IPropertySymbol { Name: "Length" } && known.IsStridedView(symbol.ContainingType))
        {
            // ILGPU's 2-D and 3-D Length is a long; ours an int.
            return ParseExpression("((int)" + ((ExpressionSyntax)Visit(node.Expression)!).ToFullString().Trim() + ".Length)").WithTriviaFrom(node);
        }
        if (symbol is IPropertySymbol { Name: "Length" } && (known.IsArrayView(symbol.ContainingType) || known.IsSpan(symbol.ContainingType)))
        {
            var target = (ExpressionSyntax)Visit(node.Expression)!;
            return MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, target, IdentifierName("IntLength")).WithTriviaFrom(node);
        }
        return base.VisitMemberAccessExpression(node);
    }

    public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
    {
        if (model.GetSymbolInfo(node).Symbol is not IMethodSymbol target)
        {
            return base.VisitInvocationExpression(node);
        }
        var arguments = (ArgumentListSyntax)Visit(node.ArgumentList)!;
        var type = target.ContainingType;
        if (KnownSymbols.Is(type, known.MathF) || KnownSymbols.Is(type, known.Math))
        {
            return MathCall(node, target, arguments);
        }
        if (known.IsKernelFunction(target))
        {
            if (!calledFunctions.Contains(target, SymbolEqualityComparer.Default))
            {
                calledFunctions.Add(target);
            }
            return InvocationExpression(IdentifierName(IlgpuTwinWriter.FunctionTwinName(target)), arguments).WithTriviaFrom(node);
        }
        return base.VisitInvocationExpression(node);
    }

    public override SyntaxNode? VisitBlock(BlockSyntax node)
    {
        var statements = new List<StatementSyntax>();
        foreach (var statement in node.Statements)
        {
            if (statement is LocalDeclarationStatementSyntax declaration && PrivateArray(declaration) is { } replacement)
            {
                statements.AddRange(replacement);
            }
            else
            {
                statements.Add((StatementSyntax)Visit(statement)!);
            }
        }
        return node.WithStatements(List(statements));
    }

    /// <summary>
    /// <c>Span&lt;T&gt; a = stackalloc T[n];</c> → LocalMemory of n elements, zeroed; <c>stackalloc T[] { … }</c> →
    /// LocalMemory filled with the values. ILGPU's LocalMemory is not zeroed (C#'s stackalloc is).
    /// </summary>
    private List<StatementSyntax>? PrivateArray(LocalDeclarationStatementSyntax statement)
    {
        var variables = statement.Declaration.Variables;
        if (variables.Count != 1 || model.GetDeclaredSymbol(variables[0]) is not ILocalSymbol { } local || !known.IsSpan(local.Type)
            || variables[0].Initializer?.Value is not { } value)
        {
            return null;
        }
        string element = KnownSymbols.ElementOf(local.Type).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        string name = variables[0].Identifier.Text;
        InitializerExpressionSyntax? values = (value as StackAllocArrayCreationExpressionSyntax)?.Initializer
            ?? (value as ImplicitStackAllocArrayCreationExpressionSyntax)?.Initializer;
        string length = (values?.Expressions.Count ?? 0).ToString(CultureInfo.InvariantCulture);
        if (values is null && value is StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax array })
        {
            // A constant, or an expression of specialised values: ILGPU specialises the kernel before it sizes the array.
            var size = array.RankSpecifiers[0].Sizes[0];
            length = model.GetConstantValue(size).Value is int constant ? constant.ToString(CultureInfo.InvariantCulture)
                : "(" + ((ExpressionSyntax)Visit(size)!).ToFullString().Trim() + ")";
        }
        string counter = "gcn_" + name + "_" + (privateArrays++).ToString(CultureInfo.InvariantCulture);
        var result = new List<StatementSyntax>
        {
            ParseStatement("var " + name + " = " + known.Ilgpu + "LocalMemory.Allocate<" + element + ">(" + length + ");"),
        };
        if (values is null)
        {
            result.Add(ParseStatement("for (int " + counter + " = 0; " + counter + " < " + length + "; " + counter + "++) " +
                name + "[" + counter + "] = default(" + element + ");"));
        }
        else
        {
            for (int i = 0; i < values.Expressions.Count; i++)
            {
                string item = ((ExpressionSyntax)Visit(values.Expressions[i])!).ToFullString().Trim();
                result.Add(ParseStatement(name + "[" + i.ToString(CultureInfo.InvariantCulture) + "] = (" + element + ")(" + item + ");"));
            }
        }
        // Each on a line of its own, indented as the declaration was.
        return result.Select(r => r.WithLeadingTrivia(statement.GetLeadingTrivia()).WithTrailingTrivia(statement.GetTrailingTrivia())).ToList();
    }

    private SyntaxNode MathCall(InvocationExpressionSyntax node, IMethodSymbol target, ArgumentListSyntax arguments)
    {
        var type = target.Parameters.Length > 0 ? target.Parameters[0].Type.SpecialType : SpecialType.None;
        string? function = null;
        if (type == SpecialType.System_Single)
        {
            XMathFunctions.TryGetValue(target.Name, out function);
            function = function is null ? null : known.IlgpuAlgorithms + "XMath." + function;
        }
        else if (type is SpecialType.System_Int32 or SpecialType.System_Int64 && target.Name is "Max" or "Min" or "Abs")
        {
            function = "global::System.Math." + target.Name;
        }
        if (function is null)
        {
            diagnostics.Report(Diagnostics.NoIlgpuForm, node.Expression.GetLocation(),
                target.ContainingType.Name + "." + target.Name + "(" + string.Join(", ", target.Parameters.Select(p => p.Type.ToDisplayString())) + ")",
                " (ILGPU.Algorithms' XMath has no such function); write it out with the operations it has");
            return node;
        }
        return InvocationExpression(ParseExpression(function), arguments).WithTriviaFrom(node);
    }

    /// <summary>ILGPU's name for one of the kernel language's static classes, or null.</summary>
    private string? MappedType(ISymbol? symbol)
    {
        if (symbol is not INamedTypeSymbol type)
        {
            return null;
        }
        if (ViewTypeName(type, known) is { } view)
        {
            return view;
        }
        if (KnownSymbols.Is(type, known.Group) || KnownSymbols.Is(type, known.Grid) || KnownSymbols.Is(type, known.SharedMemory)
            || KnownSymbols.Is(type, known.Atomic) || KnownSymbols.Is(type, known.LocalMemory))
        {
            return known.Ilgpu + type.Name;
        }
        if (KnownSymbols.Is(type, known.Warp))
        {
            return known.Ilgpu + "Warp";
        }
        if (KnownSymbols.Is(type, known.GroupExtensions) || KnownSymbols.Is(type, known.WarpExtensions))
        {
            return known.IlgpuAlgorithms + type.Name;
        }
        if (known.IsReductionOperation(type))
        {
            return known.IlgpuAlgorithms + "ScanReduceOperations." + type.Name;
        }
        if (known.IsSpecializedValue(type))
        {
            return known.Ilgpu + "Runtime.SpecializedValue<" + KnownSymbols.ElementOf(type).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ">";
        }
        int rank = known.IndexRank(type);
        return rank > 0 ? known.Ilgpu + "Index" + rank + "D" : null;
    }

    /// <summary>A named constant (const field, float.PositiveInfinity …) as a literal of its type, or null.</summary>
    public static ExpressionSyntax? Constant(SemanticModel model, ExpressionSyntax node)
    {
        if (node.Parent is MemberAccessExpressionSyntax parent && parent.Name == node)
        {
            return null; // the member access as a whole is the constant
        }
        var symbol = model.GetSymbolInfo(node).Symbol;
        if (symbol is not IFieldSymbol { IsConst: true } && symbol is not ILocalSymbol { IsConst: true })
        {
            return null;
        }
        var constant = model.GetConstantValue(node);
        var type = model.GetTypeInfo(node).Type;
        if (!constant.HasValue || constant.Value is null || type is null || symbol is ILocalSymbol)
        {
            return null; // const locals stay: they are declared in the body itself
        }
        return ParseExpression(Literal(constant.Value, type.SpecialType)).WithTriviaFrom(node);
    }

    /// <summary>A C# literal of <paramref name="value"/> with the exact type <paramref name="type"/>.</summary>
    public static string Literal(object value, SpecialType type)
    {
        var c = CultureInfo.InvariantCulture;
        switch (type)
        {
            case SpecialType.System_Single:
                float f = Convert.ToSingle(value, c);
                return float.IsNaN(f) ? "float.NaN"
                    : float.IsPositiveInfinity(f) ? "float.PositiveInfinity"
                    : float.IsNegativeInfinity(f) ? "float.NegativeInfinity"
                    : "(" + f.ToString("R", c) + "f)";
            case SpecialType.System_Boolean:
                return (bool)value ? "true" : "false";
            case SpecialType.System_Int32:
                return "(" + Convert.ToInt32(value, c).ToString(c) + ")";
            case SpecialType.System_UInt32:
                return Convert.ToUInt32(value, c).ToString(c) + "u";
            case SpecialType.System_Int64:
                return "(" + Convert.ToInt64(value, c).ToString(c) + "L)";
            case SpecialType.System_UInt64:
                return Convert.ToUInt64(value, c).ToString(c) + "UL";
            default:
                return "((" + SpecialTypeKeyword(type) + ")" + Convert.ToInt64(value, c).ToString(c) + ")";
        }
    }

    private static string SpecialTypeKeyword(SpecialType type) => type switch
    {
        SpecialType.System_Byte => "byte",
        SpecialType.System_SByte => "sbyte",
        SpecialType.System_Int16 => "short",
        SpecialType.System_UInt16 => "ushort",
        SpecialType.System_Char => "char",
        _ => "int",
    };

    /// <summary>MathF (and Math on floats) → XMath, which ILGPU.Algorithms maps to each backend's intrinsics.</summary>
    private static readonly Dictionary<string, string> XMathFunctions = new()
    {
        ["Exp"] = "Exp", ["Log"] = "Log", ["Sqrt"] = "Sqrt", ["Tanh"] = "Tanh", ["Floor"] = "Floor",
        ["Ceiling"] = "Ceiling", ["Abs"] = "Abs", ["Max"] = "Max", ["Min"] = "Min", ["Pow"] = "Pow",
        ["Sin"] = "Sin", ["Cos"] = "Cos", ["Truncate"] = "Truncate", ["Round"] = "RoundToEven",
        ["Log2"] = "Log2", ["Exp2"] = "Exp2",
    };
}
