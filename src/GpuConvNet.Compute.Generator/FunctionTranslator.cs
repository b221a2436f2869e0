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

    /// <summary>The kernel entry point: signature, prologue (views, index, extent check), shared arrays, body.</summary>
    public string TranslateKernel()
    {
        var kernelModel = kernel!;
        var signature = new List<string>();
        var prologue = new List<string>();
        string[] axes = { "x", "y", "z" };
        if (kernelModel.IndexRank > 0)
        {
            var index = method.Parameters[0];
            string prefix = Reserve(index.Name);
            variables[index] = new Variable(VariableKind.Index, prefix);
            var bounds = new List<string>();
            for (int d = 0; d < kernelModel.IndexRank; d++)
            {
                string extent = Reserve("extent_" + axes[d]);
                signature.Add("int " + extent);
                string component = Reserve(prefix + "_" + axes[d]);
                prologue.Add("const int " + component + " = " + Dialect.Builtin(BuiltinIndex.Global, d) + ";");
                bounds.Add(component + " >= " + extent);
            }
            // The launch rounds the grid up to whole groups: lanes past the extent leave at once.
            prologue.Add("if (" + string.Join(" || ", bounds) + ") return;");
        }
        foreach (var parameter in method.Parameters.Skip(kernelModel.IndexRank > 0 ? 1 : 0))
        {
            if (Known.IsArrayView(parameter.Type))
            {
                string element = CType(KnownSymbols.ElementOf(parameter.Type), parameter.Locations[0]);
                string name = Reserve(parameter.Name);
                string baseName = Reserve(parameter.Name + "_base");
                string offset = Reserve(parameter.Name + "_offset");
                string length = Reserve(parameter.Name + "_len");
                string pointer = Dialect.Pointer(AddressSpace.Global, element);
                signature.Add(pointer + " " + baseName);
                signature.Add("int " + offset);
                signature.Add("int " + length);
                prologue.Add(pointer + " " + name + " = " + baseName + " + " + offset + ";");
                variables[parameter] = new Variable(VariableKind.View, name, length);
            }
            else
            {
                string name = Reserve(parameter.Name);
                signature.Add(CType(parameter.Type, parameter.Locations[0]) + " " + name);
                variables[parameter] = new Variable(VariableKind.Scalar, name);
            }
        }

        var body = kernelModel.Syntax.Body;
        if (body is null)
        {
            Report(Generator.Diagnostics.InvalidKernelDeclaration, kernelModel.Syntax.Identifier.GetLocation(),
                method.Name, "must have a block body");
        }
        else
        {
            foreach (var statement in body.Statements)
            {
                Statement(statement);
            }
        }

        var text = new StringBuilder();
        text.Append(Dialect.KernelQualifier).Append(' ').Append(kernelModel.EntryPoint).Append('(')
            .Append(string.Join(", ", signature)).Append(")\n{\n");
        foreach (var line in prologue.Concat(sharedDeclarations))
        {
            text.Append("    ").Append(line).Append('\n');
        }
        text.Append(output).Append("}\n");
        return text.ToString();
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
                if (type is { TypeKind: TypeKind.Delegate })
                {
                    // A local that holds a lambda or method group: the delegate is the problem, not its type.
                    Report(Generator.Diagnostics.Delegates, location, "delegate type " + type.ToDisplayString());
                    return "int";
                }
                Report(Generator.Diagnostics.UnsupportedType, location, type?.ToDisplayString() ?? "?",
                    type is { IsReferenceType: true } ? ": devices have no managed objects" : "");
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
