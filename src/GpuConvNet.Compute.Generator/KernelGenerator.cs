using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GpuConvNet.Compute.Generator;

/// <summary>
/// Finds every [Kernel] and [KernelFunction] method, reports what device code cannot express (GCN0001…), and for
/// each valid kernel adds OpenCL C, CUDA C, a CPU body, an ILGPU twin (when ILGPU is referenced) and a
/// registration to its class.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class KernelGenerator : IIncrementalGenerator
{
    private const string KernelAttribute = "GpuConvNet.Compute.KernelAttribute";
    private const string KernelFunctionAttribute = "GpuConvNet.Compute.KernelFunctionAttribute";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var kernels = Methods(context, KernelAttribute);
        var functions = Methods(context, KernelFunctionAttribute);
        var loaded = context.SyntaxProvider.CreateSyntaxProvider(
            static (node, _) => node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access, ArgumentList.Arguments.Count: 1 }
                && Array.IndexOf(LoadingCalls, access.Name.Identifier.ValueText) >= 0,
            static (syntax, token) => LoadedKernel((InvocationExpressionSyntax)syntax.Node, syntax.SemanticModel, token))
            .Where(static method => method is not null).Select(static (method, _) => method!).Collect();
        // Translation follows calls into other files, so it reads the whole compilation: correct, if less incremental.
        var input = kernels.Combine(functions).Combine(loaded).Combine(context.CompilationProvider);
        context.RegisterSourceOutput(input, static (output, pair) =>
            Generate(output, pair.Left.Left.Left, pair.Left.Left.Right, pair.Left.Right, pair.Right));
    }

    /// <summary>ILGPU's loading calls on an accelerator: the method they are handed is a kernel, [Kernel] or not.</summary>
    private static readonly string[] LoadingCalls = { "LoadAutoGroupedStreamKernel", "LoadAutoGroupedKernel", "LoadStreamKernel", "LoadKernel" };

    /// <summary>
    /// The declaration of the source method that <paramref name="call"/> (one of <see cref="LoadingCalls"/> on our
    /// Accelerator) is handed as a method group, unless it is a [Kernel] already; else null.
    /// </summary>
    private static MethodDeclarationSyntax? LoadedKernel(InvocationExpressionSyntax call, SemanticModel model, System.Threading.CancellationToken token)
    {
        if (model.GetSymbolInfo(call, token).Symbol is not IMethodSymbol { ContainingType: { } owner } load
            || owner.ToDisplayString() != "GpuConvNet.Compute.Accelerator" || Array.IndexOf(LoadingCalls, load.Name) < 0)
        {
            return null;
        }
        var argument = model.GetSymbolInfo(call.ArgumentList.Arguments[0].Expression, token);
        var method = argument.Symbol as IMethodSymbol ?? argument.CandidateSymbols.OfType<IMethodSymbol>().FirstOrDefault();
        if (method is null || method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KernelAttribute))
        {
            return null;
        }
        return method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(token) as MethodDeclarationSyntax;
    }

    private static IncrementalValueProvider<ImmutableArray<MethodDeclarationSyntax>> Methods(
        IncrementalGeneratorInitializationContext context, string attribute) =>
        context.SyntaxProvider.ForAttributeWithMetadataName(attribute,
            static (node, _) => node is MethodDeclarationSyntax,
            static (syntax, _) => (MethodDeclarationSyntax)syntax.TargetNode).Collect();

    private static void Generate(SourceProductionContext output, ImmutableArray<MethodDeclarationSyntax> kernels,
        ImmutableArray<MethodDeclarationSyntax> functions, ImmutableArray<MethodDeclarationSyntax> loaded, Compilation compilation)
    {
        var known = new KnownSymbols(compilation);
        if (known.ArrayView is null)
        {
            return;
        }
        var diagnostics = new DiagnosticSink();
        foreach (var syntax in functions)
        {
            ValidateFunction(syntax, known, diagnostics);
        }
        var translated = new List<(KernelModel Kernel, IReadOnlyList<(Dialect Dialect, string Source)> Sources, KernelSharedMemory Shared)>();
        foreach (var syntax in loaded.Distinct())
        {
            if (compilation.GetSemanticModel(syntax.SyntaxTree).GetDeclaredSymbol(syntax) is IMethodSymbol kernel)
            {
                known.AddLoadedKernelCallees(kernel);
            }
        }
        // A method loaded at several call sites is one kernel.
        var marked = kernels.Select(k => (Syntax: k, Loaded: false));
        var unmarked = loaded.Distinct().Select(k => (Syntax: k, Loaded: true));
        foreach (var (syntax, isLoaded) in marked.Concat(unmarked))
        {
            output.CancellationToken.ThrowIfCancellationRequested();
            var symbol = compilation.GetSemanticModel(syntax.SyntaxTree).GetDeclaredSymbol(syntax) as IMethodSymbol;
            var kernel = symbol is null ? null : KernelModel.Create(symbol, syntax, known, diagnostics, isLoaded);
            if (kernel is null || !BesideReach.Check(kernel, known, diagnostics))
            {
                continue;
            }
            int errors = diagnostics.ErrorCount;
            // One translation, written out in each dialect.
            var translator = new ProgramTranslator(known, diagnostics);
            string program = translator.TranslateKernel(kernel);
            if (diagnostics.ErrorCount == errors)
            {
                translated.Add((kernel, Dialect.All.Select(d => (d, translator.Render(program, d))).ToList(),
                    new KernelSharedMemory(translator.StaticSharedBytes, translator.DynamicSharedElement is not null)));
            }
        }
        // ILGPU twins, one file per class: a kernel function reached by several kernels of a class is written once.
        foreach (var group in translated.GroupBy(t => t.Kernel.Symbol.ContainingType, SymbolEqualityComparer.Default))
        {
            var type = (INamedTypeSymbol)group.Key!;
            if (known.HasIlgpu)
            {
                // A class whose twins cannot be written (GCN0016) gets no code at all, like a kernel with any other error.
                var twins = IlgpuTwinWriter.Write(type, group.First().Kernel.Beside, group.Select(t => t.Kernel).ToList(), known, diagnostics);
                if (twins is null)
                {
                    continue;
                }
                output.AddSource(HintName(type) + ".Ilgpu.g.cs", twins);
            }
            foreach (var (kernel, sources, shared) in group)
            {
                output.AddSource(HintName(type) + "." + kernel.Symbol.Name + ".g.cs", RegistrationWriter.Write(kernel, known, sources, known.HasIlgpu, shared));
            }
        }
        foreach (var diagnostic in diagnostics.Reported)
        {
            output.ReportDiagnostic(diagnostic);
        }
    }

    private static string HintName(INamedTypeSymbol type) => type.ToDisplayString().Replace('<', '_').Replace('>', '_');

    /// <summary>Checks a kernel function even when no kernel calls it yet, so that its errors show at once.</summary>
    private static void ValidateFunction(MethodDeclarationSyntax syntax, KnownSymbols known, DiagnosticSink diagnostics)
    {
        var symbol = known.Compilation.GetSemanticModel(syntax.SyntaxTree).GetDeclaredSymbol(syntax) as IMethodSymbol;
        if (symbol is null)
        {
            return;
        }
        string? problem = ProgramTranslator.FunctionProblem(symbol, syntax, known);
        if (problem is not null)
        {
            diagnostics.Report(Diagnostics.InvalidKernelFunction, syntax.Identifier.GetLocation(), symbol.Name, problem);
            return;
        }
        var spaces = symbol.Parameters.Where(p => known.IsArrayView(p.Type)).Select(_ => AddressSpace.Global).ToList();
        new ProgramTranslator(known, diagnostics).RequestFunction(symbol, spaces, syntax);
    }
}
