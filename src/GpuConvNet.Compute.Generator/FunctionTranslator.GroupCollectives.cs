using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GpuConvNet.Compute.Generator;

internal sealed partial class FunctionTranslator
{
    /// <summary>
    /// <c>Group.Broadcast(value, lane)</c>, <c>Group.BarrierAnd/BarrierOr/BarrierPopCount(predicate)</c>. OpenCL 1.2 has
    /// no work-group collectives (2.0's work_group_broadcast/all/any), so both dialects write one shared slot between
    /// barriers: the source lane (or every lane, with an atomic add) writes, a barrier, every lane reads, and a barrier
    /// more, so that a later use of the same slot (in a loop) cannot overwrite it before every lane has read it.
    /// </summary>
    private string GroupCollective(InvocationExpressionSyntax invocation, IMethodSymbol target)
    {
        if (!CollectiveAllowed(invocation, "Group." + target.Name))
        {
            return "0";
        }
        string linear = LinearIndex(invocation, BuiltinIndex.Local, BuiltinIndex.GroupSize);
        var arguments = invocation.ArgumentList.Arguments;
        if (target.Name == "Broadcast")
        {
            string element = CType(target.TypeArguments[0], invocation.GetLocation());
            string slot = Reserve("group_broadcast");
            sharedDeclarations.Add(Dialect.SharedArray(element, slot, "1"));
            string value = Expression(arguments[0].Expression);
            string lane = Expression(arguments[1].Expression);
            string result = Reserve("group_broadcast_value");
            Line("if (" + linear + " == (" + lane + ")) " + slot + "[0] = " + value + ";");
            Line(Dialect.Barrier + ";");
            Line(element + " " + result + " = " + slot + "[0];");
            Line(Dialect.Barrier + ";");
            return result;
        }
        string counter = Reserve("group_vote");
        sharedDeclarations.Add(Dialect.SharedArray("int", counter, "1"));
        string predicate = Expression(arguments[0].Expression);
        string add = Dialect.Atomic("Add", SpecialType.System_Int32, AddressSpace.Local, program.Helpers)!;
        string count = Reserve("group_vote_count");
        Line("if (" + linear + " == 0) " + counter + "[0] = 0;");
        Line(Dialect.Barrier + ";");
        Line("if (" + predicate + ") " + add + "(&" + counter + "[0], 1);");
        Line(Dialect.Barrier + ";");
        Line("int " + count + " = " + counter + "[0];");
        Line(Dialect.Barrier + ";");
        string lanes = string.Join(" * ", Enumerable.Range(0, 3).Select(d => GroupBuiltin(invocation, BuiltinIndex.GroupSize, d)));
        return target.Name switch
        {
            "BarrierAnd" => "(" + count + " == " + lanes + ")",
            "BarrierOr" => "(" + count + " != 0)",
            _ => count,
        };
    }
}
