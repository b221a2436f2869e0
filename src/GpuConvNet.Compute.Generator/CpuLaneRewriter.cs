using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GpuConvNet.Compute.Generator;

/// <summary>
/// Turns a grouped kernel's body into the body of a C# iterator that the CPU accelerator steps lane by lane:
/// <c>Group.Barrier();</c> becomes <c>yield return LINE;</c>, <c>return;</c> becomes <c>yield break;</c>,
/// <c>SharedMemory.Allocate&lt;T&gt;(n)</c> asks the group for the array of that call site (a <c>ref T x = ref
/// SharedMemory.Allocate&lt;T&gt;()</c> for one of one element, named <c>x[0]</c> wherever x is used), and a
/// <c>Span&lt;T&gt; = stackalloc</c> private array becomes a <c>T[]</c> (a span cannot live across a yield).
/// Lines are kept, so that <c>#line</c> maps faults back to the kernel's source. A call of a kernel function that waits
/// at barriers becomes a loop over that function's own lane iterator, which yields at its barriers.
/// </summary>
internal sealed partial class CpuLaneRewriter : CSharpSyntaxRewriter
{
    private const string ResultParameter = "gcn_result";

    private readonly SemanticModel model;
    private readonly KnownSymbols known;
    private readonly string kernelName;
    private readonly IMethodSymbol? function;
    private readonly bool beside;
    private readonly HashSet<ILocalSymbol> sharedScalars = new(SymbolEqualityComparer.Default);
    private int calls;

    /// <summary>
    /// A rewriter for the lane body of kernel <paramref name="kernelName"/>, or, with <paramref name="function"/>, for
    /// the lane body of a kernel function that waits at barriers (a group function) that this kernel reaches.
    /// </summary>
    /// <param name="beside">
    /// The lane lives in the class generated beside the kernel's (KernelModel.Beside): constants are written in as
    /// literals and static members of other classes qualified, as the kernel's own class is out of reach.
    /// </param>
    public CpuLaneRewriter(SemanticModel model, KnownSymbols known, string kernelName, IMethodSymbol? function = null, bool beside = false)
    {
        this.model = model;
        this.known = known;
        this.kernelName = kernelName;
        this.function = function;
        this.beside = beside;
    }

    /// <summary>The group functions the rewritten code calls: each needs a lane method of this kernel too.</summary>
    public List<IMethodSymbol> GroupFunctionsCalled { get; } = new();

    /// <summary>The name of <paramref name="groupFunction"/>'s lane method for kernel <paramref name="kernel"/>.</summary>
    public static string LaneMethodName(string kernel, IMethodSymbol groupFunction) =>
        kernel + "__" + groupFunction.ContainingType.Name + "_" + groupFunction.Name + "__CpuLane";

    /// <summary>The parameter list of <paramref name="groupFunction"/>'s lane method: its own, then where its result goes.</summary>
    public static string LaneParameters(IMethodSymbol groupFunction) =>
        string.Join(", ", groupFunction.Parameters.Select(p => Display(p.Type) + " " + p.Name)
            .Concat(groupFunction.ReturnsVoid ? Enumerable.Empty<string>()
                : new[] { "global::GpuConvNet.Compute.Cpu.LaneResult<" + Display(groupFunction.ReturnType) + "> " + ResultParameter }));

    public override SyntaxNode? VisitExpressionStatement(ExpressionStatementSyntax node)
    {
        if (node.Expression is InvocationExpressionSyntax invocation && (IsCall(invocation, known.Group, "Barrier") || IsCall(invocation, known.Warp, "Barrier")))
        {
            int line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            return ParseStatement("yield return " + line + ";").WithTriviaFrom(node);
        }
        return base.VisitExpressionStatement(node);
    }

    public override SyntaxNode? VisitReturnStatement(ReturnStatementSyntax node)
    {
        if (function is { ReturnsVoid: false } && node.Expression is not null)
        {
            var value = (ExpressionSyntax)Visit(node.Expression)!;
            return ParseStatement("{ " + ResultParameter + ".Value = " + value.ToFullString().Trim() + "; yield break; }").WithTriviaFrom(node);
        }
        return ParseStatement("yield break;").WithTriviaFrom(node);
    }

    /// <summary>
    /// A call of a group function, as a statement of its own (the generator checks that, GCN0013), becomes a loop that
    /// steps the function's lane method and yields at each of its barriers, then takes its result.
    /// </summary>
    public override SyntaxNode? VisitBlock(BlockSyntax node)
    {
        var statements = new List<StatementSyntax>();
        foreach (var statement in node.Statements)
        {
            var (call, resultUse) = GroupCall(statement);
            if (call is not null && IsGroupCollective(call))
            {
                statements.AddRange(OnOneLine(statement, CollectiveLines(statement, call, resultUse)));
                continue;
            }
            if (call is null || model.GetSymbolInfo(call).Symbol is not IMethodSymbol target)
            {
                statements.Add((StatementSyntax)Visit(statement)!);
                continue;
            }
            if (!GroupFunctionsCalled.Contains(target, SymbolEqualityComparer.Default))
            {
                GroupFunctionsCalled.Add(target);
            }
            int n = calls++;
            var arguments = call.ArgumentList.Arguments.Select(a => ((ExpressionSyntax)Visit(a.Expression)!).ToFullString().Trim()).ToList();
            var lines = new List<string>();
            if (!target.ReturnsVoid)
            {
                lines.Add("var gcn_result_" + n + " = new global::GpuConvNet.Compute.Cpu.LaneResult<" + Display(target.ReturnType) + ">();");
                arguments.Add("gcn_result_" + n);
            }
            lines.Add("var gcn_lane_" + n + " = " + LaneMethodName(kernelName, target) + "(" + string.Join(", ", arguments) + ");");
            lines.Add("while (gcn_lane_" + n + ".MoveNext()) yield return gcn_lane_" + n + ".Current;");
            if (resultUse is not null)
            {
                lines.Add(resultUse.Replace("\u0001", "gcn_result_" + n + ".Value"));
            }
            statements.AddRange(OnOneLine(statement, lines));
        }
        return node.WithStatements(List(statements));
    }

    // All on the call's one line, so that #line still maps every later line to its source line.
    private static IEnumerable<StatementSyntax> OnOneLine(StatementSyntax statement, List<string> lines) =>
        lines.Select((l, k) => ParseStatement(l)
            .WithLeadingTrivia(k == 0 ? statement.GetLeadingTrivia() : TriviaList(Space))
            .WithTrailingTrivia(k == lines.Count - 1 ? statement.GetTrailingTrivia() : TriviaList()));

    /// <summary>
    /// Group.Broadcast(value, lane) and Group.BarrierAnd/Or/PopCount(predicate), and the warp shuffles, reductions and
    /// scans (<see cref="WarpCollectiveRead"/>): each lane writes its slot, waits at a barrier, reads what the group
    /// wrote, and waits again, so that the slots outlive the slowest reader.
    /// </summary>
    private List<string> CollectiveLines(StatementSyntax statement, InvocationExpressionSyntax call, string? resultUse)
    {
        var target = (IMethodSymbol)model.GetSymbolInfo(call).Symbol!;
        var arguments = call.ArgumentList.Arguments.Select(a => ((ExpressionSyntax)Visit(a.Expression)!).ToFullString().Trim()).ToList();
        int line = statement.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
        string site = call.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture);
        const string lane = "global::GpuConvNet.Compute.Cpu.CpuLane.";
        string result = "gcn_collective_" + calls++;
        bool ofGroup = KnownSymbols.Is(target.ContainingType, known.Group);
        string slot = !ofGroup || target.Name == "Broadcast" ? Display(target.TypeArguments[0]) : "bool";
        string read = !ofGroup ? WarpCollectiveRead(target, site, arguments) : lane + target.Name switch
        {
            "Broadcast" => "BroadcastFrom<" + slot + ">(" + site + ", " + arguments[1] + ")",
            "BarrierAnd" => "VoteAll(" + site + ")",
            "BarrierOr" => "VoteAny(" + site + ")",
            _ => "VoteCount(" + site + ")",
        };
        var lines = new List<string>
        {
            lane + "Contribute<" + slot + ">(" + site + ", " + arguments[0] + ");",
            "yield return " + line + ";",
            "var " + result + " = " + read + ";",
            "yield return " + line + ";",
        };
        if (resultUse is not null)
        {
            lines.Add(resultUse.Replace("\u0001", result));
        }
        return lines;
    }

    /// <summary>
    /// The group-function call <paramref name="statement"/> makes, and what it does with the result (\u0001 stands for
    /// it): F(…); → (call, null); T x = F(…); → (call, "T x = \u0001;"); x op= F(…); → (call, "x op= \u0001;").
    /// </summary>
    private (InvocationExpressionSyntax? Call, string? ResultUse) GroupCall(StatementSyntax statement)
    {
        switch (statement)
        {
            case ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call } when WaitsAtBarriers(call):
                return (call, null);
            case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Right: InvocationExpressionSyntax call } assignment } when WaitsAtBarriers(call):
                return (call, ((ExpressionSyntax)Visit(assignment.Left)!).ToFullString().Trim() + " " + assignment.OperatorToken.Text + " \u0001;");
            case LocalDeclarationStatementSyntax { Declaration: { Variables.Count: 1 } declaration }
                when declaration.Variables[0].Initializer?.Value is InvocationExpressionSyntax call && WaitsAtBarriers(call):
                return (call, declaration.Type.ToString() + " " + declaration.Variables[0].Identifier.Text + " = \u0001;");
            default:
                return (null, null);
        }
    }

    private bool WaitsAtBarriers(InvocationExpressionSyntax call) => IsGroupFunction(call) || IsGroupCollective(call);

    private bool IsGroupCollective(InvocationExpressionSyntax call) =>
        model.GetSymbolInfo(call).Symbol is IMethodSymbol target && (KnownSymbols.Is(target.ContainingType, known.Group)
        && KnownSymbols.IsGroupCollective(target) || IsWarpCollective(target));

    private bool IsGroupFunction(InvocationExpressionSyntax call) =>
        model.GetSymbolInfo(call).Symbol is IMethodSymbol target && known.IsKernelFunction(target) && known.WaitsAtBarriers(target);

    /// <summary>
    /// In a group function's lane body, which lives in the kernel's class, or in any lane beside the kernel's class:
    /// static members of other classes, qualified (constants, beside it, written in).
    /// </summary>
    public override SyntaxNode? VisitIdentifierName(IdentifierNameSyntax node)
    {
        if (sharedScalars.Count > 0 && model.GetSymbolInfo(node).Symbol is ILocalSymbol local && sharedScalars.Contains(local))
        {
            return ParseExpression(node.Identifier.Text + "[0]").WithTriviaFrom(node);
        }
        if (beside && IlgpuTwinRewriter.Constant(model, node) is { } literal)
        {
            return literal;
        }
        if ((function is not null || beside)
            && !(node.Parent is MemberAccessExpressionSyntax access && access.Name == node)
            && !(node.Parent is QualifiedNameSyntax qualified && qualified.Right == node)
            && model.GetSymbolInfo(node).Symbol is { IsStatic: true, ContainingType: { } owner } symbol
            && symbol is IFieldSymbol or IMethodSymbol or IPropertySymbol)
        {
            return ParseExpression(Display(owner) + "." + node.Identifier.Text).WithTriviaFrom(node);
        }
        return base.VisitIdentifierName(node);
    }

    public override SyntaxNode? VisitMemberAccessExpression(MemberAccessExpressionSyntax node) =>
        beside && IlgpuTwinRewriter.Constant(model, node) is { } literal ? literal : base.VisitMemberAccessExpression(node);

    public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
    {
        if (SharedTileOrDynamic(node) is { } lane)
        {
            return lane;
        }
        if (!IsCall(node, known.SharedMemory, "Allocate") || node.ArgumentList.Arguments.Count == 0)
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
        if (declaration.Type is RefTypeSyntax && declaration.Variables.Count == 1
            && declaration.Variables[0].Initializer?.Value is RefExpressionSyntax { Expression: InvocationExpressionSyntax allocation }
            && IsCall(allocation, known.SharedMemory, "Allocate") && model.GetDeclaredSymbol(declaration.Variables[0]) is ILocalSymbol shared)
        {
            // A ref local cannot live across a yield: the lane holds a view of one element, and every use names it.
            sharedScalars.Add(shared);
            string type = Display(shared.Type);
            return ParseStatement("global::GpuConvNet.Compute.ArrayView<" + type + "> " + declaration.Variables[0].Identifier.Text +
                " = global::GpuConvNet.Compute.Cpu.CpuLane.Shared<" + type + ">(1, " + allocation.SpanStart + ");").WithTriviaFrom(node);
        }
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

    private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
}
