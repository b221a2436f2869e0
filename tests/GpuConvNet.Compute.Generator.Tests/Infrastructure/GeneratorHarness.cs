using System.Collections.Immutable;
using GpuConvNet.Compute.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GpuConvNet.Compute.Generator.Tests.Infrastructure;

/// <summary>What one generator run over a test compilation produced.</summary>
/// <param name="Diagnostics">The generator's own diagnostics (GCN…), in the order it reported them.</param>
/// <param name="GeneratedSources">The files the generator added.</param>
/// <param name="CompilationErrors">Compiler errors of the compilation with the generated files added.</param>
/// <param name="Output">The compilation with the generated files added.</param>
internal sealed record GeneratorResult(
    ImmutableArray<Diagnostic> Diagnostics,
    ImmutableArray<GeneratedSourceResult> GeneratedSources,
    ImmutableArray<Diagnostic> CompilationErrors,
    CSharpCompilation Output)
{
    /// <summary>The generated file whose hint name ends with <paramref name="suffix"/> (e.g. "Kernels.Run.g.cs").</summary>
    public GeneratedSourceResult Generated(string suffix)
    {
        var matches = GeneratedSources.Where(s => s.HintName.EndsWith(suffix, StringComparison.Ordinal)).ToList();
        Assert.HasCount(1, matches,
            $"generated files ending with '{suffix}': {string.Join(", ", GeneratedSources.Select(s => s.HintName))}");
        return matches[0];
    }

    /// <summary>
    /// The OpenCL C and CUDA C of kernel <paramref name="kernel"/> ("Class.Method"): the string constants that its
    /// registration puts in the sources argument of KernelDefinition, under the dialects' keys, found by binding the call.
    /// </summary>
    public (string OpenCL, string Cuda) DeviceSources(string kernel)
    {
        var generated = Generated("." + kernel + ".g.cs");
        var tree = Output.SyntaxTrees.Single(t => t.FilePath == generated.SyntaxTree.FilePath);
        var model = Output.GetSemanticModel(tree);
        var definitions = tree.GetRoot().DescendantNodes().OfType<ObjectCreationExpressionSyntax>()
            .Select(node => model.GetOperation(node))
            .OfType<IObjectCreationOperation>()
            .Where(o => o.Constructor?.ContainingType.ToDisplayString() == "GpuConvNet.Compute.KernelDefinition")
            .ToList();
        Assert.HasCount(1, definitions, "KernelDefinition creations in " + generated.HintName);
        var sources = definitions[0].Arguments.Single(a => a.Parameter?.Name == "sources").Value;
        var entries = sources.Descendants().OfType<ISimpleAssignmentOperation>()
            .Where(a => a.Target is IPropertyReferenceOperation { Arguments: [{ Value.ConstantValue.Value: string }] })
            .ToDictionary(a => (string)((IPropertyReferenceOperation)a.Target).Arguments[0].Value.ConstantValue.Value!, a => a.Value.ConstantValue);
        string Source(string dialect)
        {
            Assert.IsTrue(entries.TryGetValue(dialect, out var value) && value is { HasValue: true, Value: string }, dialect + " is not a string constant");
            return (string)value.Value!;
        }
        return (Source("opencl-c"), Source("cuda-c"));
    }

    /// <summary>Fails, listing them, when the generator reported anything or the generated code does not compile.</summary>
    public void AssertCleanAndCompiles()
    {
        Assert.IsEmpty(Diagnostics, "generator diagnostics:\n" + Describe(Diagnostics));
        Assert.IsEmpty(CompilationErrors, "compiler errors after generation:\n" + Describe(CompilationErrors));
    }

    public static string Describe(IEnumerable<Diagnostic> diagnostics) =>
        string.Join("\n", diagnostics.Select(d => d.ToString()));
}

/// <summary>
/// Compiles C# source with the kernel language in scope and runs <see cref="KernelGenerator"/> over it through
/// <see cref="CSharpGeneratorDriver"/>, as the compiler would in a project that references the generator.
/// </summary>
internal static class GeneratorHarness
{
    /// <summary>The global usings every test compilation gets (its own sources' line numbers stay as written).</summary>
    public const string GlobalUsings = "global using System;\nglobal using GpuConvNet.Compute;\n";

    /// <summary>The path of a single test source.</summary>
    public const string DefaultPath = "/src/Kernels.cs";

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>Runs the generator over one source file, <paramref name="path"/>.</summary>
    public static GeneratorResult Run(string source, string path = DefaultPath) => Run([(path, source)]);

    /// <summary>
    /// Runs the generator over several source files; with <paramref name="ilgpuAlias"/>, ILGPU's assemblies are referenced
    /// only through that extern alias, as IlgpuSource.targets does for a project written as for ILGPU.
    /// </summary>
    public static GeneratorResult Run(IEnumerable<(string Path, string Source)> sources, string? ilgpuAlias = null)
    {
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Source, ParseOptions, s.Path))
            .Prepend(CSharpSyntaxTree.ParseText(GlobalUsings, ParseOptions, "/src/GlobalUsings.cs"))
            .ToList();
        var references = ilgpuAlias is null ? References.Value
            : [.. References.Value.Select(r => IsIlgpu(r) ? r.WithAliases([ilgpuAlias]) : r)];
        var compilation = CSharpCompilation.Create("KernelTests", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var inputErrors = Errors(compilation);
        Assert.IsEmpty(inputErrors, "the test's own source does not compile:\n" + GeneratorResult.Describe(inputErrors));

        GeneratorDriver driver = CSharpGeneratorDriver.Create([new KernelGenerator().AsSourceGenerator()], parseOptions: ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics);
        var run = driver.GetRunResult().Results.Single();
        Assert.IsNull(run.Exception, "the generator threw: " + run.Exception);
        // The driver reports a generator that throws as a warning (CS8785): there must be nothing but the generator's own reports.
        Assert.IsTrue(driverDiagnostics.All(d => d.Id.StartsWith("GCN", StringComparison.Ordinal)),
            "driver diagnostics:\n" + GeneratorResult.Describe(driverDiagnostics));
        return new GeneratorResult(run.Diagnostics, run.GeneratedSources, Errors(output), (CSharpCompilation)output);
    }

    private static bool IsIlgpu(MetadataReference reference) =>
        Path.GetFileName(reference.Display) is "ILGPU.dll" or "ILGPU.Algorithms.dll";

    private static ImmutableArray<Diagnostic> Errors(Compilation compilation) =>
        [.. compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];

    /// <summary>The framework's assemblies (the trusted platform assemblies beside System.Private.CoreLib), GpuConvNet.Compute and ILGPU.</summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkDirectory, StringComparison.Ordinal));
        return [.. platform
            .Append(typeof(ArrayView<>).Assembly.Location)
            // ILGPU and ILGPU.Algorithms, as GpuConvNet.Compute brings them: kernels then get ILGPU twins, which must compile.
            .Append(typeof(ILGPU.Context).Assembly.Location)
            .Append(typeof(ILGPU.Algorithms.XMath).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
