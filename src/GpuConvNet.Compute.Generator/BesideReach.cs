using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GpuConvNet.Compute.Generator;

/// <summary>
/// What the lane code of a grouped kernel generated beside its class (KernelModel.Beside) cannot reach: a private
/// method of that class called as C# from the lane or from a group function it steps through (GCN0019). Auto-grouped
/// kernels run through a delegate to the method itself, and twins call twins, so only grouped lanes are checked.
/// </summary>
internal static class BesideReach
{
    public static bool Check(KernelModel kernel, KnownSymbols known, DiagnosticSink diagnostics)
    {
        if (!kernel.Beside || !kernel.IsGrouped)
        {
            return true;
        }
        bool reachable = true;
        var pending = new Stack<MethodDeclarationSyntax>();
        var seen = new HashSet<SyntaxNode>();
        pending.Push(kernel.Syntax);
        while (pending.Count > 0)
        {
            var syntax = pending.Pop();
            if (!seen.Add(syntax))
            {
                continue;
            }
            var model = known.Compilation.GetSemanticModel(syntax.SyntaxTree);
            foreach (var call in syntax.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (model.GetSymbolInfo(call).Symbol is not IMethodSymbol target || !known.IsKernelFunction(target))
                {
                    continue;
                }
                if (known.WaitsAtBarriers(target))
                {
                    // Its lane method is generated beside the class too, from its body: check that body.
                    if (target.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is MethodDeclarationSyntax body)
                    {
                        pending.Push(body);
                    }
                }
                else if (target.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
                {
                    diagnostics.Report(Diagnostics.PrivateFunctionBeside, call.GetLocation(), kernel.Symbol.Name, target.Name, target.ContainingType.Name);
                    reachable = false;
                }
            }
        }
        return reachable;
    }
}
