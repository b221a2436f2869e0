using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace GpuConvNet.Compute.Generator;

internal sealed partial class CpuLaneRewriter
{
    private const string Collectives = "global::GpuConvNet.Compute.Cpu.CpuCollectives.";

    /// <summary>Warp.Shuffle…/Broadcast and the GroupExtensions/WarpExtensions reductions and scans (not Warp.Barrier, a barrier).</summary>
    private bool IsWarpCollective(IMethodSymbol target) =>
        KnownSymbols.Is(target.ContainingType, known.Warp) && target.Name is "Shuffle" or "ShuffleDown" or "ShuffleUp" or "ShuffleXor" or "Broadcast"
        || KnownSymbols.Is(target.ContainingType, known.GroupExtensions) || KnownSymbols.Is(target.ContainingType, known.WarpExtensions);

    /// <summary>
    /// What a lane of a warp collective reads after the barrier, from the values the lanes contributed at
    /// <paramref name="site"/>: CpuCollectives' shuffle of the same name (width 32 unless given), or its reduction or scan.
    /// </summary>
    private string WarpCollectiveRead(IMethodSymbol target, string site, IReadOnlyList<string> arguments)
    {
        string element = Display(target.TypeArguments[0]);
        if (KnownSymbols.Is(target.ContainingType, known.Warp))
        {
            string width = arguments.Count > 2 ? arguments[2] : "global::GpuConvNet.Compute.Warp.WarpSize";
            return target.Name == "Broadcast"
                ? Collectives + "Broadcast<" + element + ">(" + site + ", " + arguments[1] + ")"
                : Collectives + target.Name + "<" + element + ">(" + site + ", " + arguments[1] + ", " + width + ")";
        }
        string types = "<" + element + ", " + Display(target.TypeArguments[1]) + ">";
        string scope = KnownSymbols.Is(target.ContainingType, known.WarpExtensions) ? "Warp" : "Group";
        return target.Name is "Reduce" or "AllReduce"
            ? Collectives + scope + "Reduce" + types + "(" + site + ")"
            : Collectives + scope + "Scan" + types + "(" + site + ", " + (target.Name == "InclusiveScan" ? "true" : "false") + ")";
    }
}
