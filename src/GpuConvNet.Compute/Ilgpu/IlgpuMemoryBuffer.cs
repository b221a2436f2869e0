using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace GpuConvNet.Compute.Ilgpu;

/// <summary>What a launch needs of an ILGPU buffer without knowing its element type.</summary>
internal interface IIlgpuBuffer
{
    /// <summary>ILGPU's view of elements [offset, offset + length), boxed for <c>Kernel.Launch(…, object[])</c>.</summary>
    object TwinView(int offset, int length);
}

/// <summary>
/// A buffer in ILGPU's memory. On ILGPU's CPU accelerator the buffer has <see cref="GuardElements"/> spare elements on
/// either side: an out-of-bounds access is reported after the launch (see <see cref="IlgpuCpuFaults"/>) but still
/// happens, and the guards keep a small overrun from landing in another allocation.
/// </summary>
internal sealed class IlgpuMemoryBuffer<T> : MemoryBuffer<T>, IIlgpuBuffer where T : unmanaged
{
    private const int GuardElements = 1024;

    private readonly IlgpuAccelerator owner;
    private readonly MemoryBuffer1D<T, Stride1D.Dense> memory;
    private readonly ILGPU.ArrayView<T> data;

    public IlgpuMemoryBuffer(IlgpuAccelerator accelerator, int length) : base(accelerator, length)
    {
        owner = accelerator;
        int guard = accelerator.Device.Engine == IlgpuEngines.Cpu ? GuardElements : 0;
        try
        {
            memory = accelerator.Native.Allocate1D<T>(length + 2L * guard);
        }
        catch (Exception e) when (e is OutOfMemoryException or AcceleratorException)
        {
            throw new DeviceOutOfMemoryException("Allocate1D", e.GetType().Name, 0, $"{LengthInBytes:N0} bytes on {accelerator.Name}: {e.Message}");
        }
        data = memory.View.SubView(guard, length);
        View = new ArrayView<T>(this, null, 0, length);
    }

    public override ArrayView<T> View { get; }

    public object TwinView(int offset, int length) => data.SubView(offset, length);

    private protected override void CopyFromHostCore(ReadOnlySpan<T> source, int offset)
    {
        ((ArrayView1D<T, Stride1D.Dense>)data.SubView(offset, source.Length)).CopyFromCPU(owner.Stream, source);
        owner.Synchronize();
    }

    private protected override void CopyToHostCore(Span<T> destination, int offset)
    {
        ((ArrayView1D<T, Stride1D.Dense>)data.SubView(offset, destination.Length)).CopyToCPU(owner.Stream, destination);
        owner.Synchronize();
    }

    private protected override void FillCore(T value)
    {
        if (Accelerator.Device.Engine == IlgpuEngines.Cpu)
        {
            // ILGPU's CPU accelerator would spend an OS-thread step per element on a fill kernel: copy from the host.
            var filled = new T[Length];
            Array.Fill(filled, value);
            CopyFromHostCore(filled, 0);
            return;
        }
        owner.Native.Initialize(owner.Stream, data, value);
    }

    private protected override void CopyToCore(MemoryBuffer<T> destination)
    {
        var target = (ArrayView1D<T, Stride1D.Dense>)((IlgpuMemoryBuffer<T>)destination).data.SubView(0, Length);
        ((ArrayView1D<T, Stride1D.Dense>)data).CopyTo(owner.Stream, target);
    }

    private protected override void ReleaseNative() => memory.Dispose();
}
