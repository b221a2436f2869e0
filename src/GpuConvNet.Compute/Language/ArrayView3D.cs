using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace GpuConvNet.Compute;

/// <summary>
/// A 2-D or 3-D view as a launch passes it (<see cref="Lowered"/>): its base view, then its extent, then the strides of
/// its dimensions that are not dense, in X, Y, Z order — the parameters the generator gives its device code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IStridedView
{
    /// <summary>The arguments the view becomes at a launch.</summary>
    object?[] Lowered();
}

/// <summary>How a 3-D view lays out its elements: (x, y, z) lies at x·XStride + y·YStride + z·ZStride of its base view.</summary>
public interface IStride3D
{
    /// <summary>Elements between (x, y, z) and (x + 1, y, z).</summary>
    int XStride { get; }

    /// <summary>Elements between (x, y, z) and (x, y + 1, z).</summary>
    int YStride { get; }

    /// <summary>Elements between (x, y, z) and (x, y, z + 1).</summary>
    int ZStride { get; }
}

/// <summary>ILGPU's 3-D strides: which dimensions are dense.</summary>
public static class Stride3D
{
    /// <summary>X dense, then Y: (x, y, z) at x + y·YStride + z·ZStride (planes of rows, an image stack's order).</summary>
    public readonly record struct DenseXY(int YStride, int ZStride) : IStride3D
    {
        /// <inheritdoc />
        public int XStride => 1;
    }

    /// <summary>Z dense, then Y: (x, y, z) at x·XStride + y·YStride + z (a C# <c>T[X, Y, Z]</c>'s own order).</summary>
    public readonly record struct DenseZY(int XStride, int YStride) : IStride3D
    {
        /// <inheritdoc />
        public int ZStride => 1;
    }
}

/// <summary>What the host needs of a 3-D view without knowing its types.</summary>
public interface IArrayView3D : IStridedView
{
    /// <summary>The 1-D view the elements lie in.</summary>
    IArrayView Base { get; }

    /// <summary>Its extent, X by Y by Z.</summary>
    Index3D IntExtent { get; }
}

/// <summary>
/// ILGPU's 3-D view: an extent of X × Y × Z elements over a 1-D <see cref="BaseView"/>, laid out by
/// <typeparamref name="TStride"/> (<see cref="Stride3D.DenseXY"/> or <see cref="Stride3D.DenseZY"/>). A kernel
/// parameter: the device gets the base view, the extent and the two strides that are not 1, and indexes it with the
/// same formula. On the CPU accelerator every access is checked against the extent, then against the base view.
/// </summary>
public readonly struct ArrayView3D<T, TStride> : IArrayView3D where T : unmanaged where TStride : struct, IStride3D
{
    /// <summary>A view of <paramref name="extent"/> over <paramref name="baseView"/>, laid out by <paramref name="stride"/>.</summary>
    public ArrayView3D(ArrayView<T> baseView, Index3D extent, TStride stride)
    {
        BaseView = baseView;
        IntExtent = extent;
        Stride = stride;
    }

    /// <summary>The 1-D view the elements lie in.</summary>
    public ArrayView<T> BaseView { get; }

    /// <summary>The extent, X by Y by Z.</summary>
    public Index3D IntExtent { get; }

    /// <summary>The layout.</summary>
    public TStride Stride { get; }

    /// <summary>
    /// The elements of <see cref="BaseView"/>, as ILGPU counts a view's Length: the extent's elements for a whole buffer
    /// or tile, every element a sub-view spans (gaps between its rows included) for a <see cref="SubView"/>.
    /// </summary>
    public int Length => BaseView.Length;

    /// <summary>ILGPU's int form of <see cref="Length"/> (there, Length is a long).</summary>
    public int IntLength => Length;

    IArrayView IArrayView3D.Base => BaseView;

    object?[] IStridedView.Lowered()
    {
        // The two strides that are not 1, in X, Y, Z order: DenseXY (YStride, ZStride), DenseZY (XStride, YStride).
        var (first, second) = Stride.XStride == 1 ? (Stride.YStride, Stride.ZStride) : (Stride.XStride, Stride.YStride);
        return [BaseView, IntExtent.X, IntExtent.Y, IntExtent.Z, first, second];
    }

    /// <summary>Element (index.X, index.Y, index.Z): checked against the extent on the CPU accelerator.</summary>
    public ref T this[Index3D index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index.X >= (uint)IntExtent.X || (uint)index.Y >= (uint)IntExtent.Y || (uint)index.Z >= (uint)IntExtent.Z)
            {
                throw new ArgumentOutOfRangeException(nameof(index),
                    $"index ({index.X}, {index.Y}, {index.Z}) is outside the 3-D view's extent ({IntExtent.X}, {IntExtent.Y}, {IntExtent.Z})");
            }
            return ref BaseView[index.X * Stride.XStride + index.Y * Stride.YStride + index.Z * Stride.ZStride];
        }
    }

    /// <summary>Element (x, y, z), as <c>this[new Index3D(x, y, z)]</c>.</summary>
    public ref T this[int x, int y, int z]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref this[new Index3D(x, y, z)];
    }

    /// <summary>
    /// The <paramref name="extent"/> elements from <paramref name="offset"/> on, as a view with the same layout, as
    /// ILGPU's <c>SubView</c>.
    /// </summary>
    public ArrayView3D<T, TStride> SubView(Index3D offset, Index3D extent)
    {
        if (offset.X < 0 || offset.Y < 0 || offset.Z < 0 || extent.X < 0 || extent.Y < 0 || extent.Z < 0
            || (long)offset.X + extent.X > IntExtent.X || (long)offset.Y + extent.Y > IntExtent.Y || (long)offset.Z + extent.Z > IntExtent.Z)
        {
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"SubView(({offset.X}, {offset.Y}, {offset.Z}), ({extent.X}, {extent.Y}, {extent.Z})) does not fit in a 3-D view of " +
                $"({IntExtent.X}, {IntExtent.Y}, {IntExtent.Z})");
        }
        int start = offset.X * Stride.XStride + offset.Y * Stride.YStride + offset.Z * Stride.ZStride;
        // As ILGPU: the sub-view's base spans its elements, from its first to its last.
        int span = extent.X == 0 || extent.Y == 0 || extent.Z == 0 ? 0
            : (extent.X - 1) * Stride.XStride + (extent.Y - 1) * Stride.YStride + (extent.Z - 1) * Stride.ZStride + 1;
        return new ArrayView3D<T, TStride>(BaseView.SubView(start, span), extent, Stride);
    }

    /// <inheritdoc />
    public override string ToString() => $"ArrayView3D<{typeof(T).Name}, {typeof(TStride).Name}>[{IntExtent.X} × {IntExtent.Y} × {IntExtent.Z}]";
}
