using System.Collections.Generic;
using System.Linq;

namespace GpuConvNet.Compute.Generator;

/// <summary>
/// How a 2-D or 3-D view lies in C: its extent and the stride of each dimension, as C expressions ("1" for a dense
/// one). Element (x, y, z) lies at x·stride[0] + y·stride[1] + z·stride[2] of the view's pointer, as in ILGPU.
/// </summary>
internal sealed class StridedLayout
{
    public StridedLayout(IReadOnlyList<string> extents, IReadOnlyList<string> strides)
    {
        Extents = extents;
        Strides = strides;
    }

    /// <summary>The extent per dimension: X, Y (and Z).</summary>
    public IReadOnlyList<string> Extents { get; }

    /// <summary>The stride per dimension, "1" where the dimension is dense.</summary>
    public IReadOnlyList<string> Strides { get; }

    public int Rank => Extents.Count;

    /// <summary>The offset of the element at <paramref name="index"/> (one C expression per dimension).</summary>
    public string Offset(IReadOnlyList<string> index) =>
        string.Join(" + ", index.Select((component, d) => Strides[d] == "1" ? "(" + component + ")" : "(" + component + ") * " + Strides[d]));
}
