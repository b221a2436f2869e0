using Microsoft.CodeAnalysis;

namespace GpuConvNet.Compute.Generator;

/// <summary>
/// What a kernel written against ILGPU's own types (<c>using ILGPU;</c>) should use instead (GCN0018): the kernel
/// language's member of the same name where there is one, else the way to write it with what OpenCL 1.2 has.
/// </summary>
internal static class IlgpuCounterparts
{
    // Types the kernel language mirrors member for member (GpuConvNet.Compute.<same name>).
    private static readonly string[] Mirrored = { "Group", "Grid", "Atomic", "SharedMemory", "ArrayView`1", "Index1D", "Index2D", "Index3D", "SpecializedValue`1", "KernelConfig", "LocalMemory", "ArrayView2D`2", "Stride2D", "ArrayView3D`2", "Stride3D", "SharedMemoryConfig" };

    // Warp and ILGPU.Algorithms' reductions and scans, mirrored by name too.
    private static readonly string[] MirroredCollectives = { "Warp", "GroupExtensions", "WarpExtensions", "IScanReduceOperation`1",
        "AddInt32", "MaxInt32", "MinInt32", "AddUInt32", "MaxUInt32", "MinUInt32", "AddInt64", "MaxInt64", "MinInt64",
        "AddUInt64", "MaxUInt64", "MinUInt64", "AddFloat", "MaxFloat", "MinFloat", "AddDouble", "MaxDouble", "MinDouble" };

    public static bool IsIlgpu(ISymbol? symbol) =>
        (symbol as INamespaceOrTypeSymbol ?? symbol?.ContainingType)?.ToDisplayString() is { } name
        && (name == "ILGPU" || name.StartsWith("ILGPU.", System.StringComparison.Ordinal));

    /// <summary>The advice for <paramref name="symbol"/> (a member, or a type).</summary>
    public static string Advice(ISymbol symbol)
    {
        var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
        string member = symbol is INamedTypeSymbol ? "" : symbol.Name;
        if (type?.ContainingType is { MetadataName: "Stride2D" or "Stride3D" } strides)
        {
            // A stride type (Stride2D.DenseX): the language mirrors the dense ones.
            member = type.Name;
            type = strides;
        }
        string typeName = type?.MetadataName ?? "";
        switch (typeName)
        {
            case "Stride2D" or "Stride3D" when member is not ("DenseX" or "DenseY" or "DenseXY" or "DenseZY" or ""):
                return "the kernel language lays out Stride2D.DenseX and DenseY, Stride3D.DenseXY and DenseZY (GpuConvNet.Compute): index a 1-D ArrayView<T> with other strides written out";
            case "SharedMemory" when member == "Allocate1D":
                return "use GpuConvNet.Compute.SharedMemory.Allocate<T>(n): kernel code's 1-D views are ArrayView<T>";
            case "Grid" when member is "GlobalLinearIndex" or "LongGlobalIndex":
                return "read Grid.GlobalIndex.X (and .Y, .Z) and combine them";
            case "LocalMemory" when member != "Allocate":
                return "use GpuConvNet.Compute.LocalMemory.Allocate<T>(a const, or a SpecializedValue<int> parameter's Value): private arrays are 1-D views here";
            case "GroupExtensions" or "WarpExtensions" when member is not ("" or "Reduce" or "AllReduce" or "ExclusiveScan" or "InclusiveScan"):
                return "the kernel language has " + typeName + ".Reduce, AllReduce, ExclusiveScan and InclusiveScan (GpuConvNet.Compute); carry a scan across iterations or boundaries through SharedMemory between Group.Barrier()s";
            case "XMath":
                return "use MathF (and Math on floats): the kernel language maps them to each device's intrinsics";
            case "ArrayView1D`2" or "LongIndex1D" or "LongIndex2D" or "LongIndex3D":
                return "index a 1-D ArrayView<T> with the offset written out (view[y * width + x]); views are int-indexed";
        }
        if (System.Array.IndexOf(Mirrored, typeName) >= 0 || System.Array.IndexOf(MirroredCollectives, typeName) >= 0)
        {
            return "the kernel language has GpuConvNet.Compute." + type!.Name + (member.Length > 0 ? "." + member : "")
                + ": write GpuConvNet.Compute's types (using GpuConvNet.Compute;) in kernel code, and the generator writes the ILGPU twin";
        }
        return "it has no counterpart in the kernel language (docs/porting-from-ilgpu.md lists what does)";
    }
}
