using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GpuConvNet.Compute.Generator;

/// <summary>
/// Turns a grouped kernel's body into the body of a C# iterator that the CPU accelerator steps lane by lane:
/// <c>Group.Barrier();</c> becomes <c>yield return LINE;</c>, <c>return;</c> becomes <c>yield break;</c>,
/// <c>SharedMemory.Allocate&lt;T&gt;(n)</c> asks the group for the array of that call site, and a
/// <c>Span&lt;T&gt; = stackalloc</c> private array becomes a <c>T[]</c> (a span cannot live across a yield).
/// Lines are kept, so that <c>#line</c> maps faults back to the kernel's source.
/// </summary>
internal sealed class CpuLaneRewriter : CSharpSyntaxRewriter
{
    private readonly SemanticModel model;
    private readonly KnownSymbols known;

    public CpuLaneRewriter(SemanticModel model, KnownSymbols known)
    {
        this.model = model;
        this.known = known;
    }

    public override SyntaxNode? VisitExpressionStatement(ExpressionStatementSyntax node)
    {
        if (node.Expression is InvocationExpressionSyntax invocation && IsCall(invocation, known.Group, "Barrier"))
        {
            int line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            return ParseStatement("yield return " + line + ";").WithTriviaFrom(node);
        }
        return base.VisitExpressionStatement(node);
    }

    public override SyntaxNode? VisitReturnStatement(ReturnStatementSyntax node) =>
        ParseStatement("yield break;").WithTriviaFrom(node);

    public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
    {
        if (!IsCall(node, known.SharedMemory, "Allocate"))
        {
            return base.VisitInvocationExpression(node);
        }
        var element = ((IMethodSymbol)model.GetSymbolInfo(node).Symbol!).TypeArguments[0];
        var size = (ExpressionSyntax)Visit(node.ArgumentList.Arguments[0].Expression);
        return ParseExpression(
                "global::GpuConvNet.Compute.Cpu.CpuLane.Shared<" + element.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ">(" +
                size.ToString() + ", " + node.SpanStart + ")")
            .WithTriviaFrom(node);
    }

    public override SyntaxNode? VisitLocalDeclarationStatement(LocalDeclarationStatementSyntax node)
    {
        var declaration = node.Declaration;
        var symbol = declaration.Variables.Count == 1 ? model.GetDeclaredSymbol(declaration.Variables[0]) as ILocalSymbol : null;
        if (symbol is null || !known.IsSpan(symbol.Type) || declaration.Variables[0].Initializer is not { } initializer)
        {
            return base.VisitLocalDeclarationStatement(node);
        }
        string element = KnownSymbols.ElementOf(symbol.Type).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        string array = initializer.Value switch
        {
            StackAllocArrayCreationExpressionSyntax { Initializer: null, Type: ArrayTypeSyntax type } =>
                "new " + element + "[" + type.RankSpecifiers[0].Sizes[0] + "]",
            StackAllocArrayCreationExpressionSyntax { Initializer: { } values } => "new " + element + "[] " + values,
            ImplicitStackAllocArrayCreationExpressionSyntax { Initializer: var values } => "new " + element + "[] " + values,
            _ => initializer.Value.ToString(),
        };
        return ParseStatement(element + "[] " + declaration.Variables[0].Identifier.Text + " = " + array + ";").WithTriviaFrom(node);
    }

    private bool IsCall(InvocationExpressionSyntax invocation, INamedTypeSymbol? type, string name) =>
        model.GetSymbolInfo(invocation).Symbol is IMethodSymbol method
        && method.Name == name && KnownSymbols.Is(method.ContainingType, type);
}
