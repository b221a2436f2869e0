using System.Runtime.CompilerServices;

namespace GpuConvNet.Compute;

/// <summary>Device memory owned by one accelerator, without its element type.</summary>
public abstract class MemoryBuffer : IDisposable
{
    private protected MemoryBuffer(Accelerator accelerator, int length, int elementSize)
    {
        Accelerator = accelerator;
        Length = length;
        ElementSize = elementSize;
    }

    /// <summary>The accelerator whose memory this is.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>Bytes per element.</summary>
    public int ElementSize { get; }

    /// <summary>Size in bytes.</summary>
    public long LengthInBytes => (long)Length * ElementSize;

    /// <summary>True once disposed: the memory is gone and views of it may not be launched.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Frees the device memory. Safe to call twice.</summary>
    public void Dispose()
    {
        if (IsDisposed)
        {
            return;
        }
        IsDisposed = true;
        ReleaseNative();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the backend's memory (called once).</summary>
    private protected abstract void ReleaseNative();

    private protected void ThrowIfDisposed(string operation)
    {
        if (IsDisposed)
        {
            throw new ObjectDisposedException(GetType().Name, $"{operation}: this buffer of {Length} elements on {Accelerator.Name} is disposed");
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Length} × {ElementSize} B on {Accelerator.Name}";
}

/// <summary>
/// A typed device buffer. Copies to and from the host are synchronous: they wait for earlier launches on the
/// accelerator's queue and return once the host memory may be reused.
/// </summary>
public abstract class MemoryBuffer<T> : MemoryBuffer where T : unmanaged
{
    private protected MemoryBuffer(Accelerator accelerator, int length)
        : base(accelerator, length, Unsafe.SizeOf<T>()) { }

    /// <summary>The whole buffer as a view (what kernel launches take).</summary>
    public abstract ArrayView<T> View { get; }

    /// <summary>Copies <paramref name="source"/> into the buffer at element <paramref name="offset"/>.</summary>
    public void CopyFromHost(ReadOnlySpan<T> source, int offset = 0)
    {
        ThrowIfDisposed(nameof(CopyFromHost));
        CheckRange(offset, source.Length, nameof(CopyFromHost));
        if (source.Length > 0)
        {
            CopyFromHostCore(source, offset);
        }
    }

    /// <summary>Copies elements starting at <paramref name="offset"/> into <paramref name="destination"/>.</summary>
    public void CopyToHost(Span<T> destination, int offset = 0)
    {
        ThrowIfDisposed(nameof(CopyToHost));
        CheckRange(offset, destination.Length, nameof(CopyToHost));
        if (destination.Length > 0)
        {
            CopyToHostCore(destination, offset);
        }
    }

    /// <summary>The whole buffer, copied to a new host array.</summary>
    public T[] ToArray()
    {
        var result = new T[Length];
        CopyToHost(result);
        return result;
    }

    /// <summary>Sets every element to <paramref name="value"/> (enqueued like a launch).</summary>
    public void Fill(T value)
    {
        ThrowIfDisposed(nameof(Fill));
        if (Length > 0)
        {
            FillCore(value);
        }
    }

    /// <summary>Copies this whole buffer into <paramref name="destination"/> (same accelerator, same length or longer).</summary>
    public void CopyTo(MemoryBuffer<T> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ThrowIfDisposed(nameof(CopyTo));
        if (destination.Accelerator != Accelerator)
        {
            throw new ArgumentException(
                $"CopyTo: destination is on {destination.Accelerator.Name}, source on {Accelerator.Name}; copy through the host",
                nameof(destination));
        }
        if (destination.IsDisposed)
        {
            throw new ObjectDisposedException(nameof(destination), "CopyTo: destination buffer is disposed");
        }
        if (destination.Length < Length)
        {
            throw new ArgumentException($"CopyTo: destination holds {destination.Length} elements, source {Length}", nameof(destination));
        }
        if (Length > 0)
        {
            CopyToCore(destination);
        }
    }

    /// <summary>ILGPU's name: the buffer's extent as an index (its <see cref="MemoryBuffer.Length"/>).</summary>
    public Index1D IntExtent => new(Length);

    /// <summary>ILGPU's name: copies <paramref name="source"/> into the start of the buffer.</summary>
    public void CopyFromCPU(T[] source) => CopyFromHost(source);

    /// <summary>ILGPU's name: copies the start of the buffer into <paramref name="destination"/>.</summary>
    public void CopyToCPU(T[] destination) => CopyToHost(destination);

    /// <summary>ILGPU's name: <see cref="ToArray"/>.</summary>
    public T[] GetAsArray1D() => ToArray();

    /// <summary>ILGPU's name: sets every byte to zero (every element to 0).</summary>
    public void MemSetToZero() => Fill(default);

    private protected abstract void CopyFromHostCore(ReadOnlySpan<T> source, int offset);

    private protected abstract void CopyToHostCore(Span<T> destination, int offset);

    private protected abstract void FillCore(T value);

    private protected abstract void CopyToCore(MemoryBuffer<T> destination);

    private void CheckRange(int offset, int count, string operation)
    {
        if (offset < 0 || (long)offset + count > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"{operation}: {count} elements at offset {offset} do not fit in a buffer of {Length}");
        }
    }
}
