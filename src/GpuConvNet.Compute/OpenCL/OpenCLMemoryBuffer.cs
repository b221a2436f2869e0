using System.Numerics;
using static GpuConvNet.Compute.OpenCL.OpenCLNative;

namespace GpuConvNet.Compute.OpenCL;

/// <summary>What a launch needs of an OpenCL buffer without knowing its element type.</summary>
internal interface IOpenCLBuffer
{
    /// <summary>The <c>cl_mem</c>; 0 for an empty buffer (OpenCL has no zero-byte buffers).</summary>
    nint Handle { get; }
}

/// <summary>
/// A <c>cl_mem</c> of the accelerator's context. Host copies are blocking reads and writes on the accelerator's
/// in-order queue, so they also wait for every launch queued before them; fills and device copies are enqueued.
/// </summary>
internal sealed unsafe class OpenCLMemoryBuffer<T> : MemoryBuffer<T>, IOpenCLBuffer where T : unmanaged
{
    private readonly OpenCLAccelerator accelerator;
    private nint handle;

    public OpenCLMemoryBuffer(OpenCLAccelerator accelerator, int length) : base(accelerator, length)
    {
        this.accelerator = accelerator;
        if (length > 0)
        {
            handle = Create(accelerator, LengthInBytes);
        }
        View = new ArrayView<T>(this, null, 0, length);
    }

    public override ArrayView<T> View { get; }

    public nint Handle => handle;

    private static nint Create(OpenCLAccelerator accelerator, long bytes)
    {
        int status;
        nint mem = clCreateBuffer(accelerator.Context, MemReadWrite, (nuint)bytes, null, &status);
        if (status is MemObjectAllocationFailure or OutOfResources or OutOfHostMemory or InvalidBufferSize)
        {
            throw new DeviceOutOfMemoryException("clCreateBuffer", ErrorName(status), status,
                $"{bytes:N0} bytes on {accelerator.Name} ({accelerator.Device.MemoryBytes:N0} bytes of global memory, " +
                $"at most {accelerator.Device.MaxAllocationBytes:N0} in one buffer)");
        }
        Check(status, "clCreateBuffer", $"{bytes:N0} bytes on {accelerator.Name}");
        return mem;
    }

    private protected override void CopyFromHostCore(ReadOnlySpan<T> source, int offset)
    {
        nint queue = QueueFor(nameof(CopyFromHost));
        fixed (T* p = source)
        {
            CheckTransfer(clEnqueueWriteBuffer(queue, handle, True, ByteOffset(offset), Bytes(source.Length), p, 0, null, null),
                "clEnqueueWriteBuffer", offset, source.Length);
        }
    }

    private protected override void CopyToHostCore(Span<T> destination, int offset)
    {
        nint queue = QueueFor(nameof(CopyToHost));
        fixed (T* p = destination)
        {
            CheckTransfer(clEnqueueReadBuffer(queue, handle, True, ByteOffset(offset), Bytes(destination.Length), p, 0, null, null),
                "clEnqueueReadBuffer", offset, destination.Length);
        }
    }

    private protected override void FillCore(T value)
    {
        nint queue = QueueFor(nameof(Fill));
        int size = sizeof(T);
        // OpenCL only takes patterns of 1, 2, 4, …, 128 bytes; any other element size is filled from the host.
        if (!BitOperations.IsPow2(size) || size > 128)
        {
            var host = new T[Length];
            Array.Fill(host, value);
            CopyFromHostCore(host, 0);
            return;
        }
        CheckTransfer(clEnqueueFillBuffer(queue, handle, &value, (nuint)size, 0, Bytes(Length), 0, null, null), "clEnqueueFillBuffer", 0, Length);
    }

    private protected override void CopyToCore(MemoryBuffer<T> destination)
    {
        nint queue = QueueFor(nameof(CopyTo));
        var target = (OpenCLMemoryBuffer<T>)destination;
        CheckTransfer(clEnqueueCopyBuffer(queue, handle, target.handle, 0, 0, Bytes(Length), 0, null, null), "clEnqueueCopyBuffer", 0, Length);
    }

    // The message is formatted only on failure: transfers run every step.
    private void CheckTransfer(int status, string call, int offset, int length)
    {
        if (status != Success)
        {
            throw Failure(status, call, Describe(offset, length));
        }
    }

    private protected override void ReleaseNative()
    {
        nint mem = handle;
        handle = 0;
        if (mem != 0)
        {
            // Safe even after the accelerator is disposed: a cl_mem holds a reference on its context, which OpenCL
            // deletes only once its last buffer is released. Commands still queued keep their own reference too.
            Check(clReleaseMemObject(mem), "clReleaseMemObject");
        }
    }

    // The queue is gone once the accelerator is disposed; using it would be a native use-after-free.
    private nint QueueFor(string operation)
    {
        if (accelerator.IsDisposed)
        {
            throw new ObjectDisposedException(accelerator.ToString(),
                $"{operation}: the accelerator of this buffer ({accelerator.Name}) has been disposed");
        }
        return accelerator.Queue;
    }

    private static nuint ByteOffset(int offset) => (nuint)((long)offset * sizeof(T));

    private static nuint Bytes(int count) => (nuint)((long)count * sizeof(T));

    private string Describe(int offset, int count) =>
        $"{count} × {sizeof(T)} B at element {offset} of a buffer of {Length} on {accelerator.Name}";
}
