using System.Runtime.CompilerServices;

namespace GpuConvNet.Compute.Cuda;

/// <summary>What a launch needs of a CUDA buffer without knowing its element type.</summary>
internal interface ICudaBuffer
{
    /// <summary>The allocation's device address (<c>CUdeviceptr</c>); 0 for an empty buffer.</summary>
    ulong DevicePointer { get; }
}

/// <summary>
/// Device memory of a <see cref="CudaAccelerator"/>. Fills and device-to-device copies are queued on the
/// accelerator's stream like launches; copies to and from the host are queued too, then waited for, so they
/// see every earlier launch and the host memory may be reused when they return.
/// </summary>
internal sealed unsafe class CudaMemoryBuffer<T> : MemoryBuffer<T>, ICudaBuffer where T : unmanaged
{
    // Elements written from the host when a fill cannot use a memset; the rest is copied on the device.
    private const int FillSeedElements = 4096;

    private readonly CudaAccelerator accelerator;

    public CudaMemoryBuffer(CudaAccelerator accelerator, int length) : base(accelerator, length)
    {
        this.accelerator = accelerator;
        DevicePointer = accelerator.AllocateDevice(LengthInBytes);
        // Kernels get the base pointer and the view's offset separately, so the view is (this, 0, length).
        View = new ArrayView<T>(this, null, 0, length);
    }

    public ulong DevicePointer { get; }

    public override ArrayView<T> View { get; }

    private ulong Address(int element) => DevicePointer + (ulong)element * (ulong)ElementSize;

    private protected override void CopyFromHostCore(ReadOnlySpan<T> source, int offset)
    {
        accelerator.Enter();
        fixed (T* host = source)
        {
            // Pinned until the stream has drained, so the driver never reads memory the GC has moved or reused.
            Check(CudaNative.cuMemcpyHtoDAsync_v2(Address(offset), host, Bytes(source.Length), accelerator.Stream),
                "cuMemcpyHtoDAsync_v2", offset, source.Length);
            accelerator.Check(CudaNative.cuStreamSynchronize(accelerator.Stream), "cuStreamSynchronize");
        }
    }

    private protected override void CopyToHostCore(Span<T> destination, int offset)
    {
        accelerator.Enter();
        fixed (T* host = destination)
        {
            Check(CudaNative.cuMemcpyDtoHAsync_v2(host, Address(offset), Bytes(destination.Length), accelerator.Stream),
                "cuMemcpyDtoHAsync_v2", offset, destination.Length);
            accelerator.Check(CudaNative.cuStreamSynchronize(accelerator.Stream), "cuStreamSynchronize");
        }
    }

    private protected override void FillCore(T value)
    {
        accelerator.Enter();
        nuint bytes = Bytes(Length);
        var pattern = new ReadOnlySpan<byte>(&value, sizeof(T));
        // A memset needs a value whose bytes repeat with period 1, 2 or 4 (true of every 1-, 2- and 4-byte T,
        // and of 8-byte values such as 0L or -1.0 whose halves are equal); allocations are 256-byte aligned.
        if (Repeats(pattern, 1))
        {
            Check(CudaNative.cuMemsetD8Async(DevicePointer, pattern[0], bytes, accelerator.Stream),
                "cuMemsetD8Async", 0, Length);
        }
        else if (sizeof(T) % 4 == 0 && Repeats(pattern, 4))
        {
            Check(CudaNative.cuMemsetD32Async(DevicePointer, Unsafe.ReadUnaligned<uint>(&value), bytes / 4, accelerator.Stream),
                "cuMemsetD32Async", 0, Length);
        }
        else if (sizeof(T) % 2 == 0 && Repeats(pattern, 2))
        {
            Check(CudaNative.cuMemsetD16Async(DevicePointer, Unsafe.ReadUnaligned<ushort>(&value), bytes / 2, accelerator.Stream),
                "cuMemsetD16Async", 0, Length);
        }
        else
        {
            FillByCopies(value);
        }
    }

    /// <summary>
    /// Fills with a value no memset can write (e.g. an 8-byte value with unequal halves): writes a seed of copies
    /// from the host, then doubles the filled prefix with device-to-device copies.
    /// </summary>
    private void FillByCopies(T value)
    {
        int seed = Math.Min(Length, FillSeedElements);
        var host = new T[seed];
        Array.Fill(host, value);
        fixed (T* source = host)
        {
            Check(CudaNative.cuMemcpyHtoDAsync_v2(DevicePointer, source, Bytes(seed), accelerator.Stream),
                "cuMemcpyHtoDAsync_v2", 0, seed);
            // The seed array must outlive the copy.
            accelerator.Check(CudaNative.cuStreamSynchronize(accelerator.Stream), "cuStreamSynchronize");
        }
        for (int filled = seed; filled < Length;)
        {
            // [0, count) → [filled, filled + count): count ≤ filled, so the ranges never overlap.
            int count = Math.Min(filled, Length - filled);
            Check(CudaNative.cuMemcpyDtoDAsync_v2(Address(filled), DevicePointer, Bytes(count), accelerator.Stream),
                "cuMemcpyDtoDAsync_v2", filled, count);
            filled += count;
        }
    }

    private protected override void CopyToCore(MemoryBuffer<T> destination)
    {
        accelerator.Enter();
        var target = (CudaMemoryBuffer<T>)destination;
        Check(CudaNative.cuMemcpyDtoDAsync_v2(target.DevicePointer, DevicePointer, Bytes(Length), accelerator.Stream),
                "cuMemcpyDtoDAsync_v2", 0, Length);
    }

    private protected override void ReleaseNative() => accelerator.FreeDevice(DevicePointer);

    private static nuint Bytes(int elements) => (nuint)elements * (nuint)sizeof(T);

    private static bool Repeats(ReadOnlySpan<byte> bytes, int period)
    {
        for (int i = period; i < bytes.Length; i++)
        {
            if (bytes[i] != bytes[i - period])
            {
                return false;
            }
        }
        return true;
    }

    // Formats the context only on failure: these calls sit on hot paths.
    private void Check(int result, string call, int offset, int count)
    {
        if (result != CudaNative.Success)
        {
            accelerator.Check(result, call, Describe(offset, count));
        }
    }

    private string Describe(int offset, int count) =>
        $"{count} × {typeof(T).Name} at element {offset} of a {Length}-element buffer on {accelerator.Device.Id}";
}
