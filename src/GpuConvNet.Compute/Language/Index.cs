namespace GpuConvNet.Compute;

/// <summary>Implemented by the index types that auto-grouped kernels take as their first parameter.</summary>
public interface IKernelIndex
{
    /// <summary>The index as a 3D index (unused dimensions are 0 for an index, 1 for an extent).</summary>
    Index3D ToIndex3D(int fill);
}

/// <summary>A 1D kernel index or extent.</summary>
public readonly record struct Index1D(int X) : IKernelIndex
{
    /// <summary>Number of elements in an extent.</summary>
    public long Size => X;

    /// <summary>An <see cref="Index1D"/> is used as a plain <c>int</c> inside kernels.</summary>
    public static implicit operator int(Index1D index) => index.X;

    /// <summary>An <c>int</c> extent.</summary>
    public static implicit operator Index1D(int x) => new(x);

    /// <inheritdoc />
    public Index3D ToIndex3D(int fill) => new(X, fill, fill);
}

/// <summary>A 2D kernel index or extent; X varies fastest.</summary>
public readonly record struct Index2D(int X, int Y) : IKernelIndex
{
    /// <summary>Number of elements in an extent.</summary>
    public long Size => (long)X * Y;

    /// <inheritdoc />
    public Index3D ToIndex3D(int fill) => new(X, Y, fill);
}

/// <summary>A 3D kernel index or extent; X varies fastest, then Y, then Z.</summary>
public readonly record struct Index3D(int X, int Y, int Z) : IKernelIndex
{
    /// <summary>Number of elements in an extent.</summary>
    public long Size => (long)X * Y * Z;

    /// <inheritdoc />
    public Index3D ToIndex3D(int fill) => this;

    /// <summary>The index whose row-major (X fastest) position in this extent is <paramref name="linear"/>.</summary>
    public Index3D Delinearize(long linear)
    {
        long xy = (long)X * Y;
        int z = (int)(linear / xy);
        long rest = linear - z * xy;
        int y = (int)(rest / X);
        return new Index3D((int)(rest - (long)y * X), y, z);
    }
}
