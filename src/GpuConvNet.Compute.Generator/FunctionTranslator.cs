using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GpuConvNet.Compute.Generator;

/// <summary>
/// Translates the body of one kernel or kernel function to C. Every construct it does not know is reported with a
/// stable GCN id at its syntax; translation continues so that one build shows every error.
/// </summary>
internal sealed partial class FunctionTranslator
{
    private readonly ProgramTranslator program;
    private readonly IMethodSymbol method;
    private readonly KernelModel? kernel;
    private readonly SemanticModel model;
    private readonly Dictionary<ISymbol, Variable> variables = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> names = new();
    private readonly List<string> sharedDeclarations = new();
    private readonly StringBuilder output = new();
    private int indent = 1;

    public FunctionTranslator(ProgramTranslator program, IMethodSymbol method, KernelModel? kernel)
    {
        this.program = program;
        this.method = method;
        this.kernel = kernel;
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
        model = program.Known.Compilation.GetSemanticModel(syntax.SyntaxTree);
    }

    private Dialect Dialect => program.Dialect;

    private KnownSymbols Known => program.Known;

    private DiagnosticSink Diagnostics => program.Diagnostics;

    private bool InGroupedKernel => kernel is { IsGrouped: true };

    /// <summary>The C side of a kernel's parameters: what its entry points take, pass on and set up.</summary>
    private sealed class KernelFrame
    {
        /// <summary>Device parameters after the extents (views as pointer, offset, length; scalars).</summary>
        public List<string> Signature { get; } = new();

        /// <summary>The same parameters as arguments, for an entry point calling the lane function.</summary>
        public List<string> Arguments { get; } = new();

        /// <summary>Each view's pointer at its offset.</summary>
        public List<string> ViewSetup { get; } = new();

        /// <summary>The index's C names per dimension (none for grouped kernels).</summary>
        public List<string> IndexNames { get; } = new();

        /// <summary>The extents' C names per dimension.</summary>
        public List<string> ExtentNames { get; } = new();

        public List<string> KernelSignature => ExtentNames.Select(e => "int " + e).Concat(Signature).ToList();
    }

    private static readonly string[] Axes = { "x", "y", "z" };

    /// <summary>
    /// The kernel entry point: signature, prologue (views, index, extent check), shared arrays, body. An indexed kernel
    /// in a dialect with lane loops (OpenCL) becomes a lane function called by two entry points: the one-lane-per-index
    /// kernel and <c>ENTRY_rows</c>, whose lanes each loop over a block of indices, x innermost (see
    /// <c>KernelDefinition.RowsEntryPoint</c>).
    /// </summary>
    public string TranslateKernel()
    {
        var frame = DeclareParameters();
        TranslateBody();
        if (program.DynamicSharedElement is not null)
        {
            frame.Signature.Add(Dialect.DynamicSharedParameters);
        }
        string plain = PlainEntryPoint(frame);
        if (frame.IndexNames.Count == 0)
        {
            return plain;
        }
        string lanes = LaneEntryPoints(frame);
        return program.Dialect.Defer(d => d.LaneFunctionQualifier is null ? plain : lanes);
    }

    /// <summary>Names the index, extents and parameters in C; a specialised parameter becomes its placeholder.</summary>
    private KernelFrame DeclareParameters()
    {
        var frame = new KernelFrame();
        if (kernel!.IndexRank > 0)
        {
            var index = method.Parameters[0];
            string prefix = Reserve(index.Name);
            variables[index] = new Variable(VariableKind.Index, prefix);
            for (int d = 0; d < kernel.IndexRank; d++)
            {
                frame.ExtentNames.Add(Reserve("extent_" + Axes[d]));
                frame.IndexNames.Add(Reserve(prefix + "_" + Axes[d]));
            }
        }
        foreach (var parameter in kernel.Parameters)
        {
            if (Known.IsSpecializedValue(parameter.Type))
            {
                // Not in the signature: the engine writes the value into the source before compiling it. User names
                // starting with gcn_ are renamed (Reserve), so the placeholder cannot collide.
                string placeholder = SpecializedPlaceholder(parameter.Name.TrimStart('@'));
                names.Add(placeholder);
                variables[parameter] = new Variable(VariableKind.Specialized, placeholder);
            }
            else if (Known.IsArrayView(parameter.Type))
            {
                var (name, length) = DeclareView(frame, parameter);
                variables[parameter] = new Variable(VariableKind.View, name, length);
            }
            else if (Known.IsStridedView(parameter.Type))
            {
                DeclareStridedView(frame, parameter);
            }
            else
            {
                string name = Reserve(parameter.Name);
                frame.Signature.Add(CType(parameter.Type, parameter.Locations[0]) + " " + name);
                frame.Arguments.Add(name);
                variables[parameter] = new Variable(VariableKind.Scalar, name);
            }
        }
        return frame;
    }

    /// <summary>A view parameter's pointer, offset and length in the signature, and its pointer at its offset: (name, length).</summary>
    private (string Name, string Length) DeclareView(KernelFrame frame, IParameterSymbol parameter)
    {
        string element = CType(KnownSymbols.ElementOf(parameter.Type), parameter.Locations[0]);
        string name = Reserve(parameter.Name);
        string baseName = Reserve(parameter.Name + "_base");
        string offset = Reserve(parameter.Name + "_offset");
        string length = Reserve(parameter.Name + "_len");
        string pointer = Dialect.Pointer(AddressSpace.Global, element);
        frame.Signature.AddRange(new[] { pointer + " " + baseName, "int " + offset, "int " + length });
        frame.Arguments.AddRange(new[] { baseName, offset, length });
        frame.ViewSetup.Add(pointer + " " + name + " = " + baseName + " + " + offset + ";");
        return (name, length);
    }

    /// <summary>The kernel's statements into <see cref="output"/>.</summary>
    private void TranslateBody()
    {
        var body = kernel!.Syntax.Body;
        if (body is null)
        {
            Report(Generator.Diagnostics.InvalidKernelDeclaration, kernel.Syntax.Identifier.GetLocation(), method.Name, "must have a block body");
            return;
        }
        foreach (var statement in body.Statements)
        {
            Statement(statement);
        }
    }

    /// <summary>The one-lane-per-index entry point (the only one of grouped kernels and of dialects without lane loops).</summary>
    private string PlainEntryPoint(KernelFrame frame)
    {
        var globalIndex = frame.IndexNames.Select((name, d) => "const int " + name + " = " + Dialect.Builtin(BuiltinIndex.Global, d) + ";");
        // The launch rounds the grid up to whole groups: lanes past the extent leave at once.
        var extentCheck = frame.IndexNames.Count == 0 ? new List<string>()
            : new List<string> { "if (" + string.Join(" || ", frame.IndexNames.Select((name, d) => name + " >= " + frame.ExtentNames[d])) + ") return;" };
        var plain = new StringBuilder();
        AppendFunction(plain, Dialect.KernelQualifier + " " + kernel!.EntryPoint, frame.KernelSignature,
            globalIndex.Concat(extentCheck).Concat(frame.ViewSetup).Concat(sharedDeclarations), output.ToString());
        return plain.ToString();
    }

    /// <summary>The lane function, the one-lane-per-index entry point calling it, and the rows entry point looping over it.</summary>
    private string LaneEntryPoints(KernelFrame frame)
    {
        var indexNames = frame.IndexNames;
        var lanes = new StringBuilder();
        string lane = kernel!.EntryPoint + "_lane";
        string laneCall = lane + "(" + string.Join(", ", indexNames.Concat(frame.Arguments)) + ");";
        AppendFunction(lanes, Dialect.LaneFunctionQualifier + " void " + lane, indexNames.Select(name => "const int " + name).Concat(frame.Signature).ToList(),
            frame.ViewSetup, output.ToString());
        lanes.Append('\n');
        var globalIndex = indexNames.Select((name, d) => "const int " + name + " = " + Dialect.Builtin(BuiltinIndex.Global, d) + ";");
        var extentCheck = "if (" + string.Join(" || ", indexNames.Select((name, d) => name + " >= " + frame.ExtentNames[d])) + ") return;";
        AppendFunction(lanes, Dialect.KernelQualifier + " " + kernel.EntryPoint, frame.KernelSignature, globalIndex.Concat(new[] { extentCheck }),
            "    " + laneCall + "\n");
        lanes.Append('\n');
        // Lanes of a CPU device: each loops over a block (chunk_x × chunk_y × chunk_z) of indices with x innermost, so
        // that the compiler vectorises the x loop (PoCL does not vectorise across the lanes of a guarded kernel).
        var chunkNames = indexNames.Select((_, d) => Reserve("chunk_" + Axes[d])).ToList();
        var bounds = new List<string>();
        var loops = new StringBuilder();
        for (int d = indexNames.Count - 1; d >= 0; d--)
        {
            string first = Reserve("first_" + Axes[d]);
            string last = Reserve("last_" + Axes[d]);
            bounds.Add("const int " + first + " = " + Dialect.Builtin(BuiltinIndex.Global, d) + " * " + chunkNames[d] + ";");
            bounds.Add("const int " + last + " = min(" + first + " + " + chunkNames[d] + ", " + frame.ExtentNames[d] + ");");
            if (d == 0)
            {
                // Lanes are independent by the execution model (no order among them; a kernel whose lanes read each
                // other's writes races on a GPU already), so the x loop has no loop-carried dependence even where two
                // views are one buffer (an in-place launch): without this, the compiler's runtime overlap check sends
                // such launches down a scalar loop (measured 20× slower).
                loops.Append("#pragma clang loop vectorize(assume_safety)\n");
            }
            loops.Append(new string(' ', 4 * (indexNames.Count - d))).Append("for (int ").Append(indexNames[d]).Append(" = ")
                .Append(first).Append("; ").Append(indexNames[d]).Append(" < ").Append(last).Append("; ").Append(indexNames[d]).Append("++)\n");
        }
        loops.Append(new string(' ', 4 * (indexNames.Count + 1))).Append(laneCall).Append('\n');
        AppendFunction(lanes, Dialect.KernelQualifier + " " + kernel.RowsEntryPoint,
            frame.KernelSignature.Concat(chunkNames.Select(c => "int " + c)).ToList(), bounds, loops.ToString());
        return lanes.ToString();
    }

    private static void AppendFunction(StringBuilder text, string head, IReadOnlyList<string> signature, IEnumerable<string> prologue, string body)
    {
        text.Append(head).Append('(').Append(string.Join(", ", signature)).Append(")\n{\n");
        foreach (var line in prologue)
        {
            text.Append("    ").Append(line).Append('\n');
        }
        text.Append(body).Append("}\n");
    }

    /// <summary>A kernel function specialised for the address spaces of its view parameters.</summary>
    public (string Prototype, string Definition) TranslateFunction(MethodDeclarationSyntax syntax, string name, IReadOnlyList<AddressSpace> spaces)
    {
        var signature = new List<string>();
        int view = 0;
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                Report(Generator.Diagnostics.InvalidKernelFunction, parameter.Locations[0], method.Name,
                    "may not take ref, out or in parameters");
            }
            if (Known.IsArrayView(parameter.Type))
            {
                var space = view < spaces.Count ? spaces[view] : AddressSpace.Global;
                view++;
                string element = CType(KnownSymbols.ElementOf(parameter.Type), parameter.Locations[0]);
                string pointer = Reserve(parameter.Name);
                string length = Reserve(parameter.Name + "_len");
                signature.Add(Dialect.Pointer(space, element) + " " + pointer);
                signature.Add("int " + length);
                variables[parameter] = new Variable(VariableKind.View, pointer, length, space);
            }
            else
            {
                string cname = Reserve(parameter.Name);
                signature.Add(CType(parameter.Type, parameter.Locations[0]) + " " + cname);
                variables[parameter] = new Variable(VariableKind.Scalar, cname);
            }
        }
        string returnType = method.ReturnsVoid ? "void" : CType(method.ReturnType, syntax.ReturnType.GetLocation());
        string prototype = Dialect.FunctionQualifier + returnType + " " + name + "(" + string.Join(", ", signature) + ")";
        if (syntax.ExpressionBody is not null)
        {
            string value = Expression(syntax.ExpressionBody.Expression);
            Line(method.ReturnsVoid ? value + ";" : "return " + value + ";");
        }
        else if (syntax.Body is not null)
        {
            foreach (var statement in syntax.Body.Statements)
            {
                Statement(statement);
            }
        }
        return (prototype, prototype + "\n{\n" + output + "}\n");
    }

    /// <summary>A fresh C identifier close to <paramref name="wanted"/>: C keywords and built-ins, and names taken, get a suffix.</summary>
    /// <summary>The C name of a specialised parameter, which engines replace (KernelDefinition.SourceFor's pattern).</summary>
    private static string SpecializedPlaceholder(string parameter) => "gcn_specialized_" + parameter;

    private string Reserve(string wanted)
    {
        string name = wanted.StartsWith("@") ? wanted.Substring(1) : wanted;
        if (ReservedNames.Contains(name) || name.StartsWith("gcn_") || name.StartsWith("__"))
        {
            name += "_";
        }
        string candidate = name;
        for (int i = 1; !names.Add(candidate); i++)
        {
            candidate = name + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return candidate;
    }

    private void Line(string text)
    {
        output.Append(' ', indent * 4).Append(text).Append('\n');
    }

    private void Report(DiagnosticDescriptor descriptor, Location location, params object?[] arguments) =>
        Diagnostics.Report(descriptor, location, arguments);

    /// <summary>The C type of a scalar type; reports GCN0003 for anything else (double, classes, strings, …).</summary>
    private string CType(ITypeSymbol? type, Location location)
    {
        switch (type?.SpecialType)
        {
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Single:
            case SpecialType.System_Boolean:
            case SpecialType.System_Byte:
            case SpecialType.System_SByte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
                return Dialect.TypeName(type.SpecialType);
            case SpecialType.System_Double:
                Report(Generator.Diagnostics.UnsupportedType, location, "double",
                    ": devices may lack fp64 and run it many times slower; use float (MathF, 1.5f)");
                return "float";
            default:
                if (IlgpuCounterparts.IsIlgpu(type))
                {
                    Report(Generator.Diagnostics.IlgpuMember, location, type!.ToDisplayString(), IlgpuCounterparts.Advice(type));
                    return "int";
                }
                if (Known.IsSpecializedValue(type))
                {
                    Report(Generator.Diagnostics.SpecializedValueMisuse, location, "A local, kernel-function parameter or value of type " + type!.ToDisplayString());
                    return "int";
                }
                if (Known.IsStridedView(type))
                {
                    Report(Generator.Diagnostics.UnsupportedType, location, type!.ToDisplayString(),
                        " outside a kernel's own parameters and locals: a kernel function takes 1-D views; pass view.BaseView (and the extent and strides it needs)");
                    return "int";
                }
                if (type is { TypeKind: TypeKind.Delegate })
                {
                    // A local that holds a lambda or method group: the delegate is the problem, not its type.
                    Report(Generator.Diagnostics.Delegates, location, "delegate type " + type.ToDisplayString());
                    return "int";
                }
                if (type is null or { TypeKind: TypeKind.Error })
                {
                    // A type C# itself cannot resolve: the compiler's own error says which; a second one would say "?".
                    return "int";
                }
                Report(Generator.Diagnostics.UnsupportedType, location, type.ToDisplayString(),
                    type.IsReferenceType ? ": devices have no managed objects"
                    : type.TypeKind == TypeKind.Struct ? ": structs are not in the kernel language (ILGPU's kernels take them; every engine here must lay them out alike): pass their fields as scalars, or as views of one type"
                    : "");
                return "int";
        }
    }

    private static readonly HashSet<string> ReservedNames = new()
    {
        // C and C++ keywords that are legal C# identifiers.
        "auto", "char", "extern", "inline", "register", "restrict", "signed", "sizeof", "static", "struct",
        "typedef", "union", "unsigned", "volatile", "goto", "delete", "friend", "mutable", "template", "typename",
        "export", "asm", "signed",
        // OpenCL C types, qualifiers and built-ins.
        "half", "uchar", "ushort", "uint", "ulong", "global", "local", "constant", "kernel", "read_only",
        "write_only", "read_write", "image2d_t", "image3d_t", "sampler_t", "event_t", "barrier", "max", "min",
        "abs", "exp", "log", "sqrt", "pow", "fabs", "fmax", "fmin", "floor", "ceil", "tanh", "sin", "cos", "clamp",
        "mix", "dot", "select", "mad", "fma", "rint", "trunc", "rsqrt", "sign", "step", "atomic_add", "atomic_max",
        "atomic_cmpxchg", "vec_step", "get_global_id", "get_local_id", "get_group_id", "INFINITY", "NAN",
        // CUDA built-ins.
        "threadIdx", "blockIdx", "blockDim", "gridDim", "warpSize", "atomicAdd", "atomicMax",
    };
}
