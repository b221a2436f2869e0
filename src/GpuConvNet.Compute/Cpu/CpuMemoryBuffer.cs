namespace GpuConvNet.Compute.Cpu;

/// <summary>A buffer of the CPU accelerator: a managed array that kernels index through bounds-checked views.</summary>
internal sealed class CpuMemoryBuffer<T> : MemoryBuffer<T> where T : unmanaged
{
    private readonly T[] data;

    public CpuMemoryBuffer(CpuAccelerator accelerator, int length) : base(accelerator, length)
    {
        try
        {
            data = new T[length];
        }
        catch (OutOfMemoryException e)
        {
            throw new DeviceOutOfMemoryException("Allocate", "OutOfMemoryException", 0,
                $"{LengthInBytes:N0} bytes on the CPU accelerator: {e.Message}");
        }
        View = new ArrayView<T>(this, data, 0, length);
    }

    public override ArrayView<T> View { get; }

    private protected override void CopyFromHostCore(ReadOnlySpan<T> source, int offset) => source.CopyTo(data.AsSpan(offset));

    private protected override void CopyToHostCore(Span<T> destination, int offset) =>
        data.AsSpan(offset, destination.Length).CopyTo(destination);

    private protected override void FillCore(T value) => Array.Fill(data, value);

    private protected override void CopyToCore(MemoryBuffer<T> destination) =>
        data.AsSpan().CopyTo(((CpuMemoryBuffer<T>)destination).data);

    private protected override void ReleaseNative()
    {
        // Managed memory: the GC frees it. Launches check IsDisposed, so a disposed buffer is never used again.
    }
}
