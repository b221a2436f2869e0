using static GpuConvNet.Compute.OpenCL.OpenCLNative;

namespace GpuConvNet.Compute.OpenCL;

public unsafe partial class OpenCLAccelerator
{
    /// <summary>
    /// The launch's dynamic shared memory, the last two arguments of a kernel that reads it: a <c>__local</c> buffer
    /// (a size and no value: OpenCL allocates it per group) and its size in bytes, from which the kernel computes the
    /// view's length.
    /// </summary>
    private static uint SetDynamicSharedMemory(nint handle, KernelDefinition kernel, SharedMemoryConfig shared, uint index)
    {
        // A __local argument of 0 bytes is CL_INVALID_ARG_SIZE: a launch without a request gets a few bytes that the
        // kernel's view (of length 0) never reaches.
        nuint bytes = (nuint)Math.Max(shared.ArraySize, sizeof(long));
        Check(clSetKernelArg(handle, index, bytes, null), "clSetKernelArg",
            $"kernel {kernel.Name}, argument {index} ({shared.ArraySize:N0} bytes of dynamic shared memory)");
        SetArg(handle, kernel, index + 1, (int)shared.ArraySize);
        return index + 2;
    }
}
