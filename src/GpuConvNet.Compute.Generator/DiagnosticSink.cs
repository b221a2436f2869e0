using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace GpuConvNet.Compute.Generator;

/// <summary>
/// Collects diagnostics once each: a function reached from several kernels reports its errors once.
/// </summary>
internal sealed class DiagnosticSink
{
    private readonly HashSet<(string Id, string? Path, int Start)> seen = new();

    public List<Diagnostic> Reported { get; } = new();

    public int ErrorCount { get; private set; }

    public void Report(DiagnosticDescriptor descriptor, Location location, params object?[] arguments)
    {
        ErrorCount++;
        if (!seen.Add((descriptor.Id, location.SourceTree?.FilePath, location.SourceSpan.Start)))
        {
            return;
        }
        Reported.Add(Diagnostic.Create(descriptor, location, arguments));
    }
}
