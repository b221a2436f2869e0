using System.Runtime.CompilerServices;

namespace GpuConvNet.Compute;

/// <summary>How a 2-D view lays out its elements: element (x, y) lies at x·XStride + y·YStride of its base view.</summary>
public interface IStride2D
{
    /// <summary>Elements between (x, y) and (x + 1, y).</summary>
    int XStride { get; }

    /// <summary>Elements between (x, y) and (x, y + 1).</summary>
    int YStride { get; }
}

/// <summary>ILGPU's 2-D strides: which dimension is dense (stride 1).</summary>
public static class Stride2D
{
    /// <summary>X dense: (x, y) at x + y·YStride (rows of X, a bitmap's order).</summary>
    public readonly record struct DenseX(int YStride) : IStride2D
    {
        /// <inheritdoc />
        public int XStride => 1;
    }

    /// <summary>Y dense: (x, y) at x·XStride + y (columns of Y).</summary>
    public readonly record struct DenseY(int XStride) : IStride2D
    {
        /// <inheritdoc />
        public int YStride => 1;
    }
}

/// <summary>What the launch path needs of a 2-D view without knowing its types.</summary>
public interface IArrayView2D : IStridedView
{
    /// <summary>The 1-D view the elements lie in.</summary>
    IArrayView Base { get; }

    /// <summary>Its extent, X by Y.</summary>
    Index2D IntExtent { get; }
}

/// <summary>
/// ILGPU's 2-D view: an extent of X × Y elements over a 1-D <see cref="BaseView"/>, laid out by
/// <typeparamref name="TStride"/> (<see cref="Stride2D.DenseX"/> or <see cref="Stride2D.DenseY"/>). A kernel
/// parameter: the device gets the base view, the extent and the stride, and indexes it with the same formula. On
/// the CPU accelerator every access is checked against the extent, then against the base view.
/// </summary>
public readonly struct ArrayView2D<T, TStride> : IArrayView2D where T : unmanaged where TStride : struct, IStride2D
{
    /// <summary>A view of <paramref name="extent"/> over <paramref name="baseView"/>, laid out by <paramref name="stride"/>.</summary>
    public ArrayView2D(ArrayView<T> baseView, Index2D extent, TStride stride)
    {
        BaseView = baseView;
        IntExtent = extent;
        Stride = stride;
    }

    /// <summary>The 1-D view the elements lie in.</summary>
    public ArrayView<T> BaseView { get; }

    /// <summary>The extent, X by Y.</summary>
    public Index2D IntExtent { get; }

    /// <summary>The layout.</summary>
    public TStride Stride { get; }

    /// <summary>
    /// The elements of <see cref="BaseView"/>, as ILGPU counts a view's Length: the extent's elements for a whole buffer
    /// or tile, every element a sub-view spans (gaps between its rows included) for a <see cref="SubView"/>.
    /// </summary>
    public int Length => BaseView.Length;

    IArrayView IArrayView2D.Base => BaseView;

    object?[] IStridedView.Lowered() => [BaseView, IntExtent.X, IntExtent.Y, Stride.XStride == 1 ? Stride.YStride : Stride.XStride];

    /// <summary>ILGPU's int form of <see cref="Length"/> (there, Length is a long).</summary>
    public int IntLength => Length;

    /// <summary>Element (x, y), as <c>this[new Index2D(x, y)]</c>.</summary>
    public ref T this[int x, int y]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref this[new Index2D(x, y)];
    }

    /// <summary>
    /// The <paramref name="extent"/> elements from <paramref name="offset"/> on, as a view with the same layout (its
    /// (0, 0) is this view's <paramref name="offset"/>), as ILGPU's <c>SubView</c>.
    /// </summary>
    public ArrayView2D<T, TStride> SubView(Index2D offset, Index2D extent)
    {
        if (offset.X < 0 || offset.Y < 0 || extent.X < 0 || extent.Y < 0
            || (long)offset.X + extent.X > IntExtent.X || (long)offset.Y + extent.Y > IntExtent.Y)
        {
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"SubView(({offset.X}, {offset.Y}), ({extent.X}, {extent.Y})) does not fit in a 2-D view of ({IntExtent.X}, {IntExtent.Y})");
        }
        int start = offset.X * Stride.XStride + offset.Y * Stride.YStride;
        // As ILGPU: the sub-view's base spans its elements, from its first to its last.
        int span = extent.X == 0 || extent.Y == 0 ? 0 : (extent.X - 1) * Stride.XStride + (extent.Y - 1) * Stride.YStride + 1;
        return new ArrayView2D<T, TStride>(BaseView.SubView(start, span), extent, Stride);
    }

    /// <summary>Element (index.X, index.Y): checked against the extent on the CPU accelerator.</summary>
    public ref T this[Index2D index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index.X >= (uint)IntExtent.X || (uint)index.Y >= (uint)IntExtent.Y)
            {
                throw new ArgumentOutOfRangeException(nameof(index), $"index ({index.X}, {index.Y}) is outside the 2-D view's extent ({IntExtent.X}, {IntExtent.Y})");
            }
            return ref BaseView[index.X * Stride.XStride + index.Y * Stride.YStride];
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"ArrayView2D<{typeof(T).Name}, {typeof(TStride).Name}>[{IntExtent.X} × {IntExtent.Y}]";
}
