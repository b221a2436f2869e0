namespace GpuConvNet.Compute;

/// <summary>
/// ILGPU's 2-D buffer: a <see cref="MemoryBuffer{T}"/> of X · Y elements with a 2-D layout. Host arrays are
/// <c>T[X, Y]</c>, read as <c>array[x, y]</c>, as ILGPU's <c>GetAsArray2D</c> returns them.
/// </summary>
public sealed class MemoryBuffer2D<T, TStride> : IDisposable where T : unmanaged where TStride : struct, IStride2D
{
    internal MemoryBuffer2D(MemoryBuffer<T> buffer, Index2D extent, TStride stride)
    {
        Buffer = buffer;
        IntExtent = extent;
        Stride = stride;
    }

    /// <summary>The 1-D buffer that holds the elements.</summary>
    public MemoryBuffer<T> Buffer { get; }

    /// <summary>The extent, X by Y.</summary>
    public Index2D IntExtent { get; }

    /// <summary>The layout.</summary>
    public TStride Stride { get; }

    /// <summary>The whole buffer as a 2-D view (what kernels take).</summary>
    public ArrayView2D<T, TStride> View => new(Buffer.View, IntExtent, Stride);

    /// <summary>Copies <paramref name="source"/>, a <c>T[X, Y]</c>, into the buffer.</summary>
    public void CopyFromCPU(T[,] source)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckShape(source);
        var flat = new T[Buffer.Length];
        for (int x = 0; x < IntExtent.X; x++)
        {
            for (int y = 0; y < IntExtent.Y; y++)
            {
                flat[x * Stride.XStride + y * Stride.YStride] = source[x, y];
            }
        }
        Buffer.CopyFromHost(flat);
    }

    /// <summary>The buffer as a new <c>T[X, Y]</c>.</summary>
    public T[,] GetAsArray2D()
    {
        var flat = Buffer.ToArray();
        var result = new T[IntExtent.X, IntExtent.Y];
        for (int x = 0; x < IntExtent.X; x++)
        {
            for (int y = 0; y < IntExtent.Y; y++)
            {
                result[x, y] = flat[x * Stride.XStride + y * Stride.YStride];
            }
        }
        return result;
    }

    /// <summary>Sets every element to 0.</summary>
    public void MemSetToZero() => Buffer.MemSetToZero();

    /// <summary>Frees the buffer.</summary>
    public void Dispose() => Buffer.Dispose();

    private void CheckShape(T[,] array)
    {
        if (array.GetLength(0) != IntExtent.X || array.GetLength(1) != IntExtent.Y)
        {
            throw new ArgumentException(
                $"CopyFromCPU: a [{array.GetLength(0)}, {array.GetLength(1)}] array into a 2-D buffer of ({IntExtent.X}, {IntExtent.Y})", nameof(array));
        }
    }
}
