using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GpuConvNet.Compute.Generator;

/// <summary>
/// ILGPU's <c>Warp</c> and ILGPU.Algorithms' <c>GroupExtensions</c>/<c>WarpExtensions</c> reductions and scans. CUDA
/// shuffles warps in registers (<c>__shfl_*_sync</c>); OpenCL 1.2 has no shuffles, so there a lane writes its value to
/// a shared slot of its own, waits at a group barrier, reads the slot its shuffle names, and waits again. Warps are
/// runs of 32 lanes of <c>Group.LinearIndex</c> in both. Reductions combine in one order in both dialects and on the
/// CPU accelerator (<c>CpuCollectives</c>): a butterfly in warps, a halving tree in groups, Hillis–Steele scans.
/// </summary>
internal sealed partial class FunctionTranslator
{
    /// <summary>Lanes per warp, in both dialects (GpuConvNet.Compute.Warp.Size).</summary>
    private const int WarpSize = 32;

    /// <summary>Shared slots per collective type: the most lanes a group of such a kernel may have (KernelDefinition.CollectiveGroupLimit).</summary>
    private const int CollectiveSlots = 1024;

    /// <summary>The shared slot array of each element type (by C# name), and whether CUDA needs it too (group collectives).</summary>
    private readonly Dictionary<string, (string Name, int Declaration, bool EveryDialect)> collectiveSlots = new();

    /// <summary>The kernel-scope names of Group.LinearIndex, the group's size and the lane's index in its warp.</summary>
    private (string Linear, string Size, string Lane)? collectiveFrame;

    /// <summary>Warp.WarpSize, LaneIdx, WarpIdx, IsFirstLane, IsLastLane.</summary>
    private string WarpProperty(MemberAccessExpressionSyntax member, string name)
    {
        if (name == "WarpSize")
        {
            return Number(WarpSize);
        }
        string linear = LinearIndex(member, BuiltinIndex.Local, BuiltinIndex.GroupSize);
        string lane = "(" + linear + " % " + Number(WarpSize) + ")";
        return name switch
        {
            "LaneIdx" => lane,
            "WarpIdx" => "(" + linear + " / " + Number(WarpSize) + ")",
            "IsFirstLane" => "(" + lane + " == 0)",
            _ => "(" + lane + " == " + Number(WarpSize - 1) + ")",
        };
    }

    /// <summary>A call of Warp, GroupExtensions or WarpExtensions: its result as C, after the lines it needs.</summary>
    private string WarpCall(InvocationExpressionSyntax invocation, IMethodSymbol target)
    {
        var arguments = invocation.ArgumentList.Arguments;
        if (target.Name is "ComputeWarpIdx" or "ComputeWarpThreadIdx")
        {
            return "(" + Expression(arguments[0].Expression) + (target.Name == "ComputeWarpIdx" ? " / " : " % ") + Number(WarpSize) + ")";
        }
        string call = target.ContainingType.Name + "." + target.Name
            + (target.TypeArguments.Length > 0 ? "<" + string.Join(", ", target.TypeArguments.Select(t => t.ToDisplayString())) + ">" : "");
        if (!CollectiveAllowed(invocation, call))
        {
            return "0";
        }
        if (target.Name == "Barrier")
        {
            return program.Dialect.Defer(d => d.WarpBarrier);
        }
        var element = target.TypeArguments[0];
        if (element.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64
            or SpecialType.System_UInt64 or SpecialType.System_Single))
        {
            Report(Generator.Diagnostics.CollectiveWithoutDeviceForm, invocation.GetLocation(), call, element.SpecialType == SpecialType.System_Double
                ? "devices may lack fp64; combine floats (AddFloat, MaxFloat, MinFloat)"
                : "collectives take int, uint, long, ulong or float; convert the value to one of those (an int for a bool) and back");
            return "0";
        }
        string type = Dialect.TypeName(element.SpecialType);
        string value = Expression(arguments[0].Expression);
        if (KnownSymbols.Is(target.ContainingType, Known.Warp))
        {
            return Shuffle(target.Name, element, type, value, arguments.Skip(1).Select(a => Expression(a.Expression)).ToList());
        }
        var operation = target.TypeArguments[1];
        if (!Known.IsReductionOperation(operation) || operation.Name.Substring(0, 3) is not ("Add" or "Max" or "Min"))
        {
            Report(Generator.Diagnostics.CollectiveWithoutDeviceForm, invocation.GetLocation(), call,
                "the generator lowers ILGPU.Algorithms' own operations (AddInt32, MaxFloat, MinUInt64, … of GpuConvNet.Compute); use one of those, or combine through SharedMemory between Group.Barrier()s");
            return "0";
        }
        var reduction = new Reduction(operation.Name.Substring(0, 3), element, type, this);
        bool warp = KnownSymbols.Is(target.ContainingType, Known.WarpExtensions);
        return target.Name switch
        {
            "Reduce" or "AllReduce" when warp => WarpReduce(reduction, value),
            "Reduce" or "AllReduce" => GroupReduce(reduction, value),
            _ when warp => WarpScan(reduction, value, target.Name == "InclusiveScan"),
            _ => GroupScan(reduction, value, target.Name == "InclusiveScan"),
        };
    }

    /// <summary>
    /// As the group collectives (GCN0013): in an explicitly grouped kernel's own body, as a statement of its own, where
    /// the CPU accelerator can step it lane by lane from barrier to barrier.
    /// </summary>
    private bool CollectiveAllowed(InvocationExpressionSyntax invocation, string call)
    {
        if (!InGroupedKernel)
        {
            Report(Generator.Diagnostics.GroupFeatureMisuse, invocation.GetLocation(), kernel is null
                ? call + "(…) may only be called in a kernel's body, not in a kernel function: its shared slots are declared at kernel scope (OpenCL 1.2)"
                : call + "(…) needs an explicitly grouped kernel: an auto-grouped (Index1D/2D/3D) kernel has no groups or warps");
            return false;
        }
        if (!IsStatementOfItsOwn(invocation))
        {
            Report(Generator.Diagnostics.GroupFeatureMisuse, invocation.GetLocation(),
                call + "(…) waits at barriers: call it as a statement of its own, directly in a block (var x = " + call + "(…); or x += " + call + "(…);)");
            return false;
        }
        return true;
    }

    /// <summary>Warp.Shuffle, ShuffleDown, ShuffleUp, ShuffleXor (width 32 unless given) and Broadcast.</summary>
    private string Shuffle(string member, ITypeSymbol element, string type, string value, IReadOnlyList<string> operands)
    {
        var frame = CollectiveFrame();
        string slots = CollectiveSlotArray(element, type, everyDialect: false);
        string result = Reserve("warp_shuffled");
        string width = operands.Count > 1 ? operands[1] : Number(WarpSize);
        string native = member == "Broadcast"
            ? type + " " + result + " = __shfl_sync(0xffffffffu, " + value + ", " + operands[0] + ");"
            : type + " " + result + " = " + CudaShuffle(member) + "(0xffffffffu, " + value + ", " + operands[0] + ", " + width + ");";
        string source = member == "Broadcast" ? "((" + operands[0] + ") & " + Number(WarpSize - 1) + ")" : ShuffleSource(member) + "(" + frame.Lane + ", " + operands[0] + ", " + width + ")";
        DialectLines(new[] { native }, new[]
        {
            slots + "[" + frame.Linear + "] = " + value + ";",
            Dialect.Barrier + ";",
            type + " " + result + " = " + slots + "[" + frame.Linear + " - " + frame.Lane + " + " + source + "];",
            Dialect.Barrier + ";",
        });
        return result;
    }

    private static string CudaShuffle(string member) => member switch
    {
        "Shuffle" => "__shfl_sync",
        "ShuffleDown" => "__shfl_down_sync",
        "ShuffleUp" => "__shfl_up_sync",
        _ => "__shfl_xor_sync",
    };

    /// <summary>
    /// The OpenCL helper that gives the lane in the warp a shuffle reads (CUDA's rules: a lane outside the width's run
    /// reads its own value; Shuffle wraps mod width), kept inside the warp.
    /// </summary>
    private string ShuffleSource(string member)
    {
        string name = "gcn_warp_" + member.ToLowerInvariant() + "_source";
        string condition = member switch
        {
            "Shuffle" => "((lane & ~(width - 1)) + (operand & (width - 1)))",
            "ShuffleDown" => "((uint)(lane & (width - 1)) + (uint)operand < (uint)width ? lane + operand : lane)",
            "ShuffleUp" => "((uint)operand <= (uint)(lane & (width - 1)) ? lane - operand : lane)",
            _ => "((uint)(lane ^ operand) <= (uint)(lane | (width - 1)) ? lane ^ operand : lane)",
        };
        program.Helpers.Add(name, program.Dialect.Defer(d => d.HasWarpShuffles ? ""
            : "int " + name + "(int lane, int operand, int width)\n{\n    return " + condition + " & " + Number(WarpSize - 1) + ";\n}"));
        return name;
    }

    /// <summary>WarpExtensions.Reduce/AllReduce: a butterfly, r = op(r, lane xor d's r) for d = 16 … 1; every lane gets the result.</summary>
    private string WarpReduce(Reduction reduction, string value)
    {
        var frame = CollectiveFrame();
        string slots = CollectiveSlotArray(reduction.Element, reduction.Type, everyDialect: false);
        string result = Reserve("warp_reduced");
        string step = Reserve("warp_step");
        string other = Reserve("warp_other");
        string loop = "for (int " + step + " = " + Number(WarpSize / 2) + "; " + step + " > 0; " + step + " >>= 1)";
        string combine = "    " + result + " = " + reduction.Apply(result, other) + ";";
        DialectLines(
            new[] { reduction.Type + " " + result + " = " + value + ";", loop, "{", "    " + reduction.Type + " " + other + " = __shfl_xor_sync(0xffffffffu, " + result + ", " + step + ");", combine, "}" },
            new[]
            {
                reduction.Type + " " + result + " = " + value + ";", loop, "{",
                "    " + slots + "[" + frame.Linear + "] = " + result + ";",
                "    " + Dialect.Barrier + ";",
                "    " + reduction.Type + " " + other + " = " + slots + "[" + frame.Linear + " ^ " + step + "];",
                "    " + Dialect.Barrier + ";",
                combine, "}",
            });
        return result;
    }

    /// <summary>WarpExtensions.InclusiveScan/ExclusiveScan: Hillis–Steele, r = op(lane − d's r, r) for lanes ≥ d, d = 1 … 16.</summary>
    private string WarpScan(Reduction reduction, string value, bool inclusive)
    {
        var frame = CollectiveFrame();
        string slots = CollectiveSlotArray(reduction.Element, reduction.Type, everyDialect: false);
        string result = Reserve("warp_scanned");
        string step = Reserve("warp_step");
        string other = Reserve("warp_other");
        string loop = "for (int " + step + " = 1; " + step + " < " + Number(WarpSize) + "; " + step + " <<= 1)";
        string combine = "    " + result + " = (" + frame.Lane + " >= " + step + " ? " + reduction.Apply(other, result) + " : " + result + ");";
        string shift = result + " = (" + frame.Lane + " == 0 ? " + reduction.Identity + " : " + other + ");";
        var native = new List<string>
        {
            reduction.Type + " " + result + " = " + value + ";", loop, "{",
            "    " + reduction.Type + " " + other + " = __shfl_up_sync(0xffffffffu, " + result + ", " + step + ");", combine, "}",
        };
        var fallback = new List<string>
        {
            reduction.Type + " " + result + " = " + value + ";", loop, "{",
            "    " + slots + "[" + frame.Linear + "] = " + result + ";",
            "    " + Dialect.Barrier + ";",
            "    " + reduction.Type + " " + other + " = " + slots + "[" + frame.Linear + " - (" + frame.Lane + " >= " + step + " ? " + step + " : 0)];",
            "    " + Dialect.Barrier + ";",
            combine, "}",
        };
        if (!inclusive)
        {
            // Each lane takes the inclusive result of the lane before it.
            native.Add(reduction.Type + " " + other + " = __shfl_up_sync(0xffffffffu, " + result + ", 1);");
            native.Add(shift);
            fallback.Add(slots + "[" + frame.Linear + "] = " + result + ";");
            fallback.Add(Dialect.Barrier + ";");
            fallback.Add(result + " = (" + frame.Lane + " == 0 ? " + reduction.Identity + " : " + slots + "[" + frame.Linear + " - 1]);");
            fallback.Add(Dialect.Barrier + ";");
        }
        DialectLines(native, fallback);
        return result;
    }

    /// <summary>
    /// GroupExtensions.Reduce/AllReduce, through shared slots in every dialect: a halving tree, slot p = op(slot p,
    /// slot p + s) for p &lt; s and p + s &lt; n, s from the largest power of 2 below n down to 1; every lane reads slot 0.
    /// </summary>
    private string GroupReduce(Reduction reduction, string value)
    {
        var frame = CollectiveFrame();
        string slots = CollectiveSlotArray(reduction.Element, reduction.Type, everyDialect: true);
        string stride = Reserve("group_stride");
        string result = Reserve("group_reduced");
        string mine = slots + "[" + frame.Linear + "]";
        Line(mine + " = " + value + ";");
        Line(Dialect.Barrier + ";");
        Line("int " + stride + " = 1;");
        Line("while (" + stride + " * 2 < " + frame.Size + ") " + stride + " *= 2;");
        Line("for (; " + stride + " > 0; " + stride + " >>= 1)");
        Line("{");
        Line("    if (" + frame.Linear + " < " + stride + " && " + frame.Linear + " + " + stride + " < " + frame.Size + ") " + mine + " = "
            + reduction.Apply(mine, slots + "[" + frame.Linear + " + " + stride + "]") + ";");
        Line("    " + Dialect.Barrier + ";");
        Line("}");
        Line(reduction.Type + " " + result + " = " + slots + "[0];");
        Line(Dialect.Barrier + ";");
        return result;
    }

    /// <summary>GroupExtensions.InclusiveScan/ExclusiveScan, through shared slots in every dialect: Hillis–Steele over the group.</summary>
    private string GroupScan(Reduction reduction, string value, bool inclusive)
    {
        var frame = CollectiveFrame();
        string slots = CollectiveSlotArray(reduction.Element, reduction.Type, everyDialect: true);
        string result = Reserve("group_scanned");
        string step = Reserve("group_step");
        string other = Reserve("group_other");
        string mine = slots + "[" + frame.Linear + "]";
        Line(reduction.Type + " " + result + " = " + value + ";");
        Line(mine + " = " + result + ";");
        Line(Dialect.Barrier + ";");
        Line("for (int " + step + " = 1; " + step + " < " + frame.Size + "; " + step + " <<= 1)");
        Line("{");
        Line("    " + reduction.Type + " " + other + " = (" + frame.Linear + " >= " + step + " ? " + slots + "[" + frame.Linear + " - " + step + "] : " + result + ");");
        Line("    " + Dialect.Barrier + ";");
        Line("    " + result + " = (" + frame.Linear + " >= " + step + " ? " + reduction.Apply(other, result) + " : " + result + ");");
        Line("    " + mine + " = " + result + ";");
        Line("    " + Dialect.Barrier + ";");
        Line("}");
        if (!inclusive)
        {
            Line(result + " = (" + frame.Linear + " == 0 ? " + reduction.Identity + " : " + slots + "[" + frame.Linear + " - 1]);");
            Line(Dialect.Barrier + ";");
        }
        return result;
    }

    /// <summary>Lines that differ by dialect: <paramref name="native"/> where warps shuffle (CUDA), else <paramref name="fallback"/>.</summary>
    private void DialectLines(IReadOnlyList<string> native, IReadOnlyList<string> fallback)
    {
        string separator = "\n" + new string(' ', indent * 4);
        Line(program.Dialect.Defer(d => string.Join(separator, d.HasWarpShuffles ? native : fallback)));
    }

    /// <summary>Group.LinearIndex, the group's size and the lane's index in its warp, declared once at kernel scope.</summary>
    private (string Linear, string Size, string Lane) CollectiveFrame()
    {
        if (collectiveFrame is { } known)
        {
            return known;
        }
        var anywhere = kernel!.Syntax;
        string linear = Reserve("group_linear");
        string size = Reserve("group_lanes");
        string lane = Reserve("warp_lane");
        sharedDeclarations.Add("const int " + linear + " = " + LinearIndex(anywhere, BuiltinIndex.Local, BuiltinIndex.GroupSize) + ";");
        sharedDeclarations.Add("const int " + size + " = " + string.Join(" * ", Enumerable.Range(0, 3).Select(d => GroupBuiltin(anywhere, BuiltinIndex.GroupSize, d))) + ";");
        sharedDeclarations.Add("const int " + lane + " = " + linear + " % " + Number(WarpSize) + ";");
        collectiveFrame = (linear, size, lane);
        return collectiveFrame.Value;
    }

    /// <summary>
    /// The kernel's shared slot array for collectives on <paramref name="element"/>, one slot per lane, declared once;
    /// where only warps use it, CUDA (which shuffles in registers) declares nothing.
    /// </summary>
    private string CollectiveSlotArray(ITypeSymbol element, string type, bool everyDialect)
    {
        string key = element.ToDisplayString();
        if (!collectiveSlots.TryGetValue(key, out var slots))
        {
            slots = (Reserve("collective_" + key), sharedDeclarations.Count, false);
            string name = slots.Name;
            string declaration = Dialect.SharedArray(type, name, Number(CollectiveSlots));
            sharedDeclarations.Add(program.Dialect.Defer(d => d.HasWarpShuffles ? "// " + name + ": none, warps shuffle in registers" : declaration));
        }
        if (everyDialect && !slots.EveryDialect)
        {
            slots = (slots.Name, slots.Declaration, true);
            sharedDeclarations[slots.Declaration] = Dialect.SharedArray(type, slots.Name, Number(CollectiveSlots));
        }
        collectiveSlots[key] = slots;
        return slots.Name;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>One of ILGPU.Algorithms' operations (Add, Max, Min) on one element type, as C.</summary>
    private sealed class Reduction
    {
        private readonly FunctionTranslator translator;
        private readonly string operation;

        public Reduction(string operation, ITypeSymbol element, string type, FunctionTranslator translator)
        {
            this.operation = operation;
            this.translator = translator;
            Element = element;
            Type = type;
        }

        public ITypeSymbol Element { get; }

        /// <summary>The element's C type.</summary>
        public string Type { get; }

        /// <summary>The neutral element, as ILGPU's operations define it (Max on float starts from float.MinValue).</summary>
        public string Identity
        {
            get
            {
                var special = Element.SpecialType;
                object value = operation switch
                {
                    "Add" => 0,
                    "Max" => special switch
                    {
                        SpecialType.System_Int32 => int.MinValue,
                        SpecialType.System_Int64 => long.MinValue,
                        SpecialType.System_Single => float.MinValue,
                        _ => 0,
                    },
                    _ => special switch
                    {
                        SpecialType.System_Int32 => int.MaxValue,
                        SpecialType.System_UInt32 => uint.MaxValue,
                        SpecialType.System_Int64 => long.MaxValue,
                        SpecialType.System_UInt64 => ulong.MaxValue,
                        _ => (object)float.MaxValue,
                    },
                };
                return translator.Dialect.Literal(value, special);
            }
        }

        /// <summary>op(<paramref name="first"/>, <paramref name="second"/>) of two C names or slots (each read once or twice).</summary>
        public string Apply(string first, string second)
        {
            bool single = Element.SpecialType == SpecialType.System_Single;
            return operation switch
            {
                "Add" => "(" + first + " + " + second + ")",
                "Max" when single => translator.Dialect.FloatFunction("fmax") + "(" + first + ", " + second + ")",
                "Min" when single => translator.Dialect.FloatFunction("fmin") + "(" + first + ", " + second + ")",
                "Max" => "(" + first + " > " + second + " ? " + first + " : " + second + ")",
                _ => "(" + first + " < " + second + " ? " + first + " : " + second + ")",
            };
        }
    }
}
