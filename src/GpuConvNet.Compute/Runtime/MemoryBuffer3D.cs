namespace GpuConvNet.Compute;

/// <summary>
/// ILGPU's 3-D buffer: a <see cref="MemoryBuffer{T}"/> of X · Y · Z elements with a 3-D layout. Host arrays are
/// <c>T[X, Y, Z]</c>, read as <c>array[x, y, z]</c>, as ILGPU's <c>GetAsArray3D</c> returns them. (ILGPU 1.5.3 itself
/// refuses <c>CopyFromCPU</c> and <c>GetAsArray3D</c> on a Z-dense buffer at run time; here both layouts copy.)
/// </summary>
public sealed class MemoryBuffer3D<T, TStride> : IDisposable where T : unmanaged where TStride : struct, IStride3D
{
    internal MemoryBuffer3D(MemoryBuffer<T> buffer, Index3D extent, TStride stride)
    {
        Buffer = buffer;
        IntExtent = extent;
        Stride = stride;
    }

    /// <summary>The 1-D buffer that holds the elements.</summary>
    public MemoryBuffer<T> Buffer { get; }

    /// <summary>The extent, X by Y by Z.</summary>
    public Index3D IntExtent { get; }

    /// <summary>The layout.</summary>
    public TStride Stride { get; }

    /// <summary>The whole buffer as a 3-D view (what kernels take).</summary>
    public ArrayView3D<T, TStride> View => new(Buffer.View, IntExtent, Stride);

    /// <summary>Copies <paramref name="source"/>, a <c>T[X, Y, Z]</c>, into the buffer.</summary>
    public void CopyFromCPU(T[,,] source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.GetLength(0) != IntExtent.X || source.GetLength(1) != IntExtent.Y || source.GetLength(2) != IntExtent.Z)
        {
            throw new ArgumentException(
                $"CopyFromCPU: a [{source.GetLength(0)}, {source.GetLength(1)}, {source.GetLength(2)}] array into a 3-D buffer of " +
                $"({IntExtent.X}, {IntExtent.Y}, {IntExtent.Z})", nameof(source));
        }
        var flat = new T[Buffer.Length];
        for (int x = 0; x < IntExtent.X; x++)
        {
            for (int y = 0; y < IntExtent.Y; y++)
            {
                for (int z = 0; z < IntExtent.Z; z++)
                {
                    flat[x * Stride.XStride + y * Stride.YStride + z * Stride.ZStride] = source[x, y, z];
                }
            }
        }
        Buffer.CopyFromHost(flat);
    }

    /// <summary>The buffer as a new <c>T[X, Y, Z]</c>.</summary>
    public T[,,] GetAsArray3D()
    {
        var flat = Buffer.ToArray();
        var result = new T[IntExtent.X, IntExtent.Y, IntExtent.Z];
        for (int x = 0; x < IntExtent.X; x++)
        {
            for (int y = 0; y < IntExtent.Y; y++)
            {
                for (int z = 0; z < IntExtent.Z; z++)
                {
                    result[x, y, z] = flat[x * Stride.XStride + y * Stride.YStride + z * Stride.ZStride];
                }
            }
        }
        return result;
    }

    /// <summary>Sets every element to 0.</summary>
    public void MemSetToZero() => Buffer.MemSetToZero();

    /// <summary>Frees the buffer.</summary>
    public void Dispose() => Buffer.Dispose();
}
