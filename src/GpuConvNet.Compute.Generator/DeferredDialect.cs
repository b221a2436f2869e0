using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace GpuConvNet.Compute.Generator;

/// <summary>
/// The dialect a kernel is translated with: every answer is a placeholder that <see cref="Render"/> later replaces by a
/// real dialect's answer, so each kernel is translated (and checked, and its diagnostics reported) once, then written
/// out as OpenCL C and as CUDA C. Text that depends on how a placeholder reads (whether an expression needs
/// parentheses) is deferred too, with <see cref="Defer"/>.
/// </summary>
internal sealed partial class DeferredDialect : Dialect
{
    private const char Open = '\u0001';
    private const char Close = '\u0002';

    private readonly List<Func<Dialect, string>> parts = new();

    /// <summary>A placeholder for what <paramref name="part"/> answers for the dialect being rendered.</summary>
    public string Defer(Func<Dialect, string> part)
    {
        parts.Add(part);
        return Open + (parts.Count - 1).ToString(CultureInfo.InvariantCulture) + Close;
    }

    /// <summary>True when <paramref name="text"/> holds a placeholder.</summary>
    public static bool IsDeferred(string text) => text.IndexOf(Open) >= 0;

    /// <summary><paramref name="text"/> with every placeholder replaced by <paramref name="dialect"/>'s answer.</summary>
    public string Render(string text, Dialect dialect)
    {
        if (!IsDeferred(text))
        {
            return text;
        }
        var result = new StringBuilder(text.Length * 2);
        int position = 0;
        while (position < text.Length)
        {
            int open = text.IndexOf(Open, position);
            if (open < 0)
            {
                result.Append(text, position, text.Length - position);
                break;
            }
            int close = text.IndexOf(Close, open);
            result.Append(text, position, open - position);
            int index = int.Parse(text.Substring(open + 1, close - open - 1), CultureInfo.InvariantCulture);
            // An answer may hold placeholders of its own (a pointer to a deferred type name).
            result.Append(Render(parts[index](dialect), dialect));
            position = close + 1;
        }
        return result.ToString();
    }

    public override string Name => Defer(d => d.Name);

    public override string Key => Defer(d => d.Key);

    public override string ContractionPragma(bool allow) => Defer(d => d.ContractionPragma(allow));

    public override string KernelQualifier => Defer(d => d.KernelQualifier);

    public override string FunctionQualifier => Defer(d => d.FunctionQualifier);

    public override string? LaneFunctionQualifier => Defer(d => d.LaneFunctionQualifier ?? "");

    public override string Pointer(AddressSpace space, string elementType) => Defer(d => d.Pointer(space, elementType));

    public override string SharedArray(string elementType, string name, string length) => Defer(d => d.SharedArray(elementType, name, length));

    public override string Barrier => Defer(d => d.Barrier);

    public override bool HasWarpShuffles => throw new InvalidOperationException("whether a dialect shuffles warps is asked of the real dialect, inside Defer");

    public override string WarpBarrier => Defer(d => d.WarpBarrier);

    public override string Builtin(BuiltinIndex kind, int dimension) => Defer(d => d.Builtin(kind, dimension));

    public override string TypeName(SpecialType type) => Defer(d => d.TypeName(type));

    public override string LongSuffix => Defer(d => d.LongSuffix);

    public override string FloatInfinity => Defer(d => d.FloatInfinity);

    public override string FloatNaN => Defer(d => d.FloatNaN);

    public override string FloatFunction(string name) => Defer(d => d.FloatFunction(name));

    /// <summary>
    /// The dialect's float atomic add; a helper it needs (OpenCL 1.2's compare-and-swap loop) takes its place in
    /// <paramref name="helpers"/> now, so helpers keep their first-use order, and renders empty where none is needed.
    /// </summary>
    public override string FloatAtomicAdd(AddressSpace space, HelperSet helpers)
    {
        helpers.Add("atomic add float " + space, Defer(d =>
        {
            var needed = new HelperSet();
            d.FloatAtomicAdd(space, needed);
            return string.Join("\n\n", needed.Definitions);
        }));
        return Defer(d => d.FloatAtomicAdd(space, new HelperSet()));
    }

    public override string[] AtomicNames => atomicNames ??= Enumerable.Range(0, 8).Select(i => Defer(d => d.AtomicNames[i])).ToArray();

    private string[]? atomicNames;
}
