namespace GpuConvNet.Compute;

// ILGPU's host-side names for what this accelerator does under its own (Allocate, Launch, ToArray): an ILGPU program's
// host code reads the same here. docs/porting-from-ilgpu.md lists what is the same and what differs.
public abstract partial class Accelerator
{
    private AcceleratorStream? defaultStream;

    /// <summary>ILGPU's name for this accelerator's one in-order queue, which every launch and copy goes through.</summary>
    public AcceleratorStream DefaultStream => defaultStream ??= new AcceleratorStream(this);

    /// <summary>ILGPU's name: <see cref="Allocate{T}(int)"/> (a length beyond int is refused: views are int-indexed).</summary>
    public MemoryBuffer<T> Allocate1D<T>(long length) where T : unmanaged
    {
        if (length is < 0 or > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"Allocate1D: {length} elements; views here hold 0 to {int.MaxValue}");
        }
        return Allocate<T>((int)length);
    }

    /// <summary>ILGPU's name: a buffer holding a copy of <paramref name="data"/>.</summary>
    public MemoryBuffer<T> Allocate1D<T>(T[] data) where T : unmanaged => Allocate(data);

    /// <summary>ILGPU's name: an X × Y buffer with X dense, (x, y) at x + y·X.</summary>
    public MemoryBuffer2D<T, Stride2D.DenseX> Allocate2DDenseX<T>(Index2D extent) where T : unmanaged =>
        new(Allocate<T>(Elements(extent)), extent, new Stride2D.DenseX(extent.X));

    /// <summary>ILGPU's name: an X × Y buffer with Y dense, (x, y) at x·Y + y.</summary>
    public MemoryBuffer2D<T, Stride2D.DenseY> Allocate2DDenseY<T>(Index2D extent) where T : unmanaged =>
        new(Allocate<T>(Elements(extent)), extent, new Stride2D.DenseY(extent.Y));

    private static int Elements(Index2D extent)
    {
        if (extent.X < 0 || extent.Y < 0 || extent.Size > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(extent), $"a 2-D buffer of ({extent.X}, {extent.Y}): views here hold 0 to {int.MaxValue} elements");
        }
        return (int)extent.Size;
    }

    /// <summary>This accelerator, once <paramref name="stream"/> is known to be its own.</summary>
    private Accelerator OnStream(AcceleratorStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.Accelerator != this)
        {
            throw new ArgumentException($"the stream belongs to {stream.Accelerator.Name}, the kernel was loaded on {Name}", nameof(stream));
        }
        return this;
    }
}

/// <summary>
/// ILGPU's <c>AcceleratorStream</c>: here each accelerator has one in-order queue (<see cref="Accelerator.DefaultStream"/>),
/// so a stream names its accelerator and waits for it.
/// </summary>
public sealed class AcceleratorStream
{
    internal AcceleratorStream(Accelerator accelerator) => Accelerator = accelerator;

    /// <summary>The accelerator whose queue this is.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Waits until every launch and copy enqueued so far has finished.</summary>
    public void Synchronize() => Accelerator.Synchronize();
}
