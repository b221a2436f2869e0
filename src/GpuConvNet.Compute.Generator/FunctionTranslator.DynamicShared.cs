using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GpuConvNet.Compute.Generator;

internal sealed partial class FunctionTranslator
{
    /// <summary>
    /// <c>var shared = SharedMemory.GetDynamic&lt;T&gt;();</c>: a view of the launch's dynamic shared memory, whose
    /// length is its bytes over T's size. The memory arrives after the kernel's other parameters
    /// (<see cref="Dialect.DynamicSharedParameters"/>); every call of a kernel names the same memory, of one element type
    /// (the CPU accelerator's is a typed array, and CUDA's extern array has one type).
    /// </summary>
    private bool DynamicShared(VariableDeclaratorSyntax variable, ILocalSymbol symbol, string element, ExpressionSyntax value)
    {
        if (!IsCallOf(value, Known.SharedMemory, out var call) || model.GetSymbolInfo(call).Symbol is not IMethodSymbol { Name: "GetDynamic" } target)
        {
            return false;
        }
        var type = target.TypeArguments[0];
        bool allowed = SharedMemoryAllowed(call);
        if (allowed && program.DynamicSharedElement is { } first && !SymbolEqualityComparer.Default.Equals(first, type))
        {
            Report(Generator.Diagnostics.DynamicSharedElementTypes, call.GetLocation(), type.ToDisplayString(), first.ToDisplayString(), kernel!.Symbol.Name);
            allowed = false;
        }
        if (!allowed)
        {
            // Known from here on, so that its uses report nothing more.
            variables[symbol] = new Variable(VariableKind.View, Reserve(variable.Identifier.Text), "0", AddressSpace.Local);
            return true;
        }
        if (program.DynamicSharedElement is null)
        {
            program.DynamicSharedElement = type;
            sharedDeclarations.Add(Dialect.DynamicSharedDeclaration(element));
        }
        string name = Reserve(variable.Identifier.Text);
        string length = Reserve(variable.Identifier.Text + "_len");
        string pointer = Dialect.Pointer(AddressSpace.Local, element);
        Line(pointer + " " + name + " = (" + pointer + ")" + DynamicSharedMemory + ";");
        Line("int " + length + " = " + DynamicSharedBytes + " / " + ElementSize(type.SpecialType).ToString(CultureInfo.InvariantCulture) + ";");
        variables[symbol] = new Variable(VariableKind.View, name, length, AddressSpace.Local);
        return true;
    }

    /// <summary>The C name of the dynamic shared memory (a parameter in OpenCL C, the extern array in CUDA C).</summary>
    public const string DynamicSharedMemory = "gcn_dynamic_shared";

    /// <summary>The C name of the parameter with its size in bytes.</summary>
    public const string DynamicSharedBytes = "gcn_dynamic_bytes";
}
