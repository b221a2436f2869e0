using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GpuConvNet.Compute.Generator;

internal sealed partial class CpuLaneRewriter
{
    /// <summary>
    /// <c>SharedMemory.Allocate2D/3D</c> (and their Dense forms) ask the group for the tile of that call site, and
    /// <c>SharedMemory.GetDynamic&lt;T&gt;()</c> for the launch's dynamic shared memory (CpuLane); null for any other call.
    /// </summary>
    private SyntaxNode? SharedTileOrDynamic(InvocationExpressionSyntax node)
    {
        if (model.GetSymbolInfo(node).Symbol is not IMethodSymbol { Name: var name } method || !KnownSymbols.Is(method.ContainingType, known.SharedMemory)
            || name is not ("Allocate2D" or "Allocate2DDenseX" or "Allocate2DDenseY" or "Allocate3D" or "Allocate3DDenseXY" or "Allocate3DDenseZY" or "GetDynamic"))
        {
            return null;
        }
        const string lane = "global::GpuConvNet.Compute.Cpu.CpuLane.";
        string typeArguments = "<" + string.Join(", ", method.TypeArguments.Select(Display)) + ">";
        if (name == "GetDynamic")
        {
            return ParseExpression(lane + "Dynamic" + typeArguments + "()").WithTriviaFrom(node);
        }
        var arguments = node.ArgumentList.Arguments.Select(a => ((ExpressionSyntax)Visit(a.Expression)!).ToFullString().Trim())
            .Append(node.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture));
        string helper = "Shared" + name.Substring("Allocate".Length);
        return ParseExpression(lane + helper + typeArguments + "(" + string.Join(", ", arguments) + ")").WithTriviaFrom(node);
    }
}
