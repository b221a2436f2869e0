using Mono.Cecil;
using Mono.Cecil.Cil;

namespace GpuConvNet.Tests.Architecture;

/// <summary>
/// Which namespaces of an assembly use which, read from its IL (signatures, base types, fields, and every type,
/// method and field a method body names), as NetArchTest and ArchUnit do.
/// </summary>
public static class NamespaceDependencies
{
    /// <summary>
    /// Every (from, to) pair of namespaces of <paramref name="assemblyPath"/> below <paramref name="root"/> where code in
    /// <c>from</c> uses a type of <c>to</c>, with <paramref name="root"/> cut off (<c>Training</c>, <c>Nn.Layers</c>;
    /// the root namespace itself is <c>(root)</c>). Compiler-generated nested types count for their outer type.
    /// </summary>
    public static IReadOnlySet<(string From, string To)> Read(string assemblyPath, string root)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var edges = new HashSet<(string, string)>();
        foreach (var type in module.GetTypes())
        {
            string? from = Layer(Outermost(type).Namespace, root);
            if (from is null)
            {
                continue;
            }
            foreach (var used in Uses(type).SelectMany(Expand))
            {
                string? to = Layer(Outermost(used).Namespace, root);
                if (to is not null && to != from)
                {
                    edges.Add((from, to));
                }
            }
        }
        return edges;
    }

    private static string? Layer(string ns, string root) =>
        ns == root ? "(root)" : ns.StartsWith(root + ".", StringComparison.Ordinal) ? ns[(root.Length + 1)..] : null;

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }
        return type;
    }

    // List<ModelCheckpoint>[] uses List, ModelCheckpoint and the array: the types a signature is built from.
    private static IEnumerable<TypeReference> Expand(TypeReference type)
    {
        switch (type)
        {
            case GenericInstanceType generic:
                foreach (var part in generic.GenericArguments.Prepend(generic.ElementType).SelectMany(Expand))
                {
                    yield return part;
                }
                break;
            case TypeSpecification specification:
                foreach (var part in Expand(specification.ElementType))
                {
                    yield return part;
                }
                break;
            default:
                yield return type;
                break;
        }
    }

    private static IEnumerable<TypeReference> Uses(TypeDefinition type)
    {
        if (type.BaseType is not null)
        {
            yield return type.BaseType;
        }
        foreach (var implemented in type.Interfaces)
        {
            yield return implemented.InterfaceType;
        }
        foreach (var field in type.Fields)
        {
            yield return field.FieldType;
        }
        foreach (var method in type.Methods)
        {
            yield return method.ReturnType;
            foreach (var parameter in method.Parameters)
            {
                yield return parameter.ParameterType;
            }
            if (!method.HasBody)
            {
                continue;
            }
            foreach (var local in method.Body.Variables)
            {
                yield return local.VariableType;
            }
            foreach (var instruction in method.Body.Instructions)
            {
                foreach (var used in Operand(instruction))
                {
                    yield return used;
                }
            }
        }
    }

    private static IEnumerable<TypeReference> Operand(Instruction instruction)
    {
        switch (instruction.Operand)
        {
            case TypeReference type:
                yield return type;
                break;
            case MethodReference method:
                yield return method.DeclaringType;
                yield return method.ReturnType;
                foreach (var parameter in method.Parameters)
                {
                    yield return parameter.ParameterType;
                }
                break;
            case FieldReference field:
                yield return field.DeclaringType;
                yield return field.FieldType;
                break;
        }
    }
}
