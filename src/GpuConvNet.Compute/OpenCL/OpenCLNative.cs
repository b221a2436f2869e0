using System.Runtime.InteropServices;
using System.Text;

namespace GpuConvNet.Compute.OpenCL;

/// <summary>
/// The OpenCL 1.2 entry points the backend uses, bound by hand. Handles (<c>cl_platform_id</c>, <c>cl_mem</c>, …)
/// are <see cref="nint"/>, <c>size_t</c> is <see cref="nuint"/>, and every argument is blittable, so the generated
/// stubs are plain calls. Callers must have loaded the library through <see cref="NativeLibraries.TryLoad"/> first:
/// that registers the assembly's resolver, which maps <see cref="NativeLibraries.OpenCL"/> to the ICD loader.
/// </summary>
internal static unsafe partial class OpenCLNative
{
    public const int Success = 0;
    public const int DeviceNotFound = -1;
    public const int MemObjectAllocationFailure = -4;
    public const int OutOfResources = -5;
    public const int OutOfHostMemory = -6;
    public const int BuildProgramFailure = -11;
    public const int InvalidBufferSize = -61;
    public const int PlatformNotFoundKhr = -1001;

    public const uint True = 1;

    public const uint PlatformVersion = 0x0901;
    public const uint PlatformName = 0x0902;
    public const uint PlatformVendor = 0x0903;

    public const ulong DeviceTypeDefault = 1 << 0;
    public const ulong DeviceTypeCpu = 1 << 1;
    public const ulong DeviceTypeGpu = 1 << 2;
    public const ulong DeviceTypeAccelerator = 1 << 3;
    public const ulong DeviceTypeAll = 0xFFFFFFFF;

    public const uint DeviceTypeInfo = 0x1000;
    public const uint DeviceMaxComputeUnits = 0x1002;
    public const uint DeviceMaxWorkItemDimensions = 0x1003;
    public const uint DeviceMaxWorkGroupSize = 0x1004;
    public const uint DeviceMaxWorkItemSizes = 0x1005;
    public const uint DeviceMaxMemAllocSize = 0x1010;
    public const uint DeviceGlobalMemSize = 0x101F;
    public const uint DeviceLocalMemSize = 0x1023;
    public const uint DeviceAvailable = 0x1027;
    public const uint DeviceName = 0x102B;
    public const uint DeviceVendor = 0x102C;
    public const uint DriverVersion = 0x102D;
    public const uint DeviceVersion = 0x102F;
    public const uint DeviceOpenCLCVersion = 0x103D;

    public const nint ContextPlatform = 0x1084;

    public const ulong MemReadWrite = 1 << 0;

    public const uint ProgramBuildLog = 0x1183;

    public const uint KernelWorkGroupSize = 0x11B0;

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clGetPlatformIDs(uint numEntries, nint* platforms, uint* numPlatforms);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clGetPlatformInfo(nint platform, uint paramName, nuint valueSize, void* value, nuint* valueSizeRet);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clGetDeviceIDs(nint platform, ulong deviceType, uint numEntries, nint* devices, uint* numDevices);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clGetDeviceInfo(nint device, uint paramName, nuint valueSize, void* value, nuint* valueSizeRet);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial nint clCreateContext(nint* properties, uint numDevices, nint* devices, nint notify, nint userData, int* errcode);

    // The 1.2 entry point: clCreateCommandQueueWithProperties is 2.0+, and every ICD loader still exports this one.
    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial nint clCreateCommandQueue(nint context, nint device, ulong properties, int* errcode);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial nint clCreateBuffer(nint context, ulong flags, nuint size, void* hostPtr, int* errcode);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clEnqueueWriteBuffer(nint queue, nint buffer, uint blocking, nuint offset, nuint size, void* ptr,
        uint numEvents, nint* waitList, nint* evt);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clEnqueueReadBuffer(nint queue, nint buffer, uint blocking, nuint offset, nuint size, void* ptr,
        uint numEvents, nint* waitList, nint* evt);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clEnqueueFillBuffer(nint queue, nint buffer, void* pattern, nuint patternSize, nuint offset, nuint size,
        uint numEvents, nint* waitList, nint* evt);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clEnqueueCopyBuffer(nint queue, nint source, nint destination, nuint sourceOffset, nuint destinationOffset,
        nuint size, uint numEvents, nint* waitList, nint* evt);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial nint clCreateProgramWithSource(nint context, uint count, byte** strings, nuint* lengths, int* errcode);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clBuildProgram(nint program, uint numDevices, nint* devices, byte* options, nint notify, nint userData);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clGetProgramBuildInfo(nint program, nint device, uint paramName, nuint valueSize, void* value, nuint* valueSizeRet);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial nint clCreateKernel(nint program, byte* name, int* errcode);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clGetKernelWorkGroupInfo(nint kernel, nint device, uint paramName, nuint valueSize, void* value, nuint* valueSizeRet);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clSetKernelArg(nint kernel, uint index, nuint size, void* value);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clEnqueueNDRangeKernel(nint queue, nint kernel, uint workDim, nuint* globalOffset, nuint* globalSize,
        nuint* localSize, uint numEvents, nint* waitList, nint* evt);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clFlush(nint queue);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clFinish(nint queue);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clReleaseMemObject(nint buffer);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clReleaseKernel(nint kernel);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clReleaseProgram(nint program);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clReleaseCommandQueue(nint queue);

    [LibraryImport(NativeLibraries.OpenCL)]
    public static partial int clReleaseContext(nint context);

    /// <summary>The symbol of an OpenCL status code (<c>CL_OUT_OF_RESOURCES</c>), or <c>CL_UNKNOWN_ERROR</c>.</summary>
    public static string ErrorName(int status) => status switch
    {
        0 => "CL_SUCCESS",
        -1 => "CL_DEVICE_NOT_FOUND",
        -2 => "CL_DEVICE_NOT_AVAILABLE",
        -3 => "CL_COMPILER_NOT_AVAILABLE",
        -4 => "CL_MEM_OBJECT_ALLOCATION_FAILURE",
        -5 => "CL_OUT_OF_RESOURCES",
        -6 => "CL_OUT_OF_HOST_MEMORY",
        -7 => "CL_PROFILING_INFO_NOT_AVAILABLE",
        -8 => "CL_MEM_COPY_OVERLAP",
        -9 => "CL_IMAGE_FORMAT_MISMATCH",
        -10 => "CL_IMAGE_FORMAT_NOT_SUPPORTED",
        -11 => "CL_BUILD_PROGRAM_FAILURE",
        -12 => "CL_MAP_FAILURE",
        -13 => "CL_MISALIGNED_SUB_BUFFER_OFFSET",
        -14 => "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST",
        -15 => "CL_COMPILE_PROGRAM_FAILURE",
        -16 => "CL_LINKER_NOT_AVAILABLE",
        -17 => "CL_LINK_PROGRAM_FAILURE",
        -18 => "CL_DEVICE_PARTITION_FAILED",
        -19 => "CL_KERNEL_ARG_INFO_NOT_AVAILABLE",
        -30 => "CL_INVALID_VALUE",
        -31 => "CL_INVALID_DEVICE_TYPE",
        -32 => "CL_INVALID_PLATFORM",
        -33 => "CL_INVALID_DEVICE",
        -34 => "CL_INVALID_CONTEXT",
        -35 => "CL_INVALID_QUEUE_PROPERTIES",
        -36 => "CL_INVALID_COMMAND_QUEUE",
        -37 => "CL_INVALID_HOST_PTR",
        -38 => "CL_INVALID_MEM_OBJECT",
        -39 => "CL_INVALID_IMAGE_FORMAT_DESCRIPTOR",
        -40 => "CL_INVALID_IMAGE_SIZE",
        -41 => "CL_INVALID_SAMPLER",
        -42 => "CL_INVALID_BINARY",
        -43 => "CL_INVALID_BUILD_OPTIONS",
        -44 => "CL_INVALID_PROGRAM",
        -45 => "CL_INVALID_PROGRAM_EXECUTABLE",
        -46 => "CL_INVALID_KERNEL_NAME",
        -47 => "CL_INVALID_KERNEL_DEFINITION",
        -48 => "CL_INVALID_KERNEL",
        -49 => "CL_INVALID_ARG_INDEX",
        -50 => "CL_INVALID_ARG_VALUE",
        -51 => "CL_INVALID_ARG_SIZE",
        -52 => "CL_INVALID_KERNEL_ARGS",
        -53 => "CL_INVALID_WORK_DIMENSION",
        -54 => "CL_INVALID_WORK_GROUP_SIZE",
        -55 => "CL_INVALID_WORK_ITEM_SIZE",
        -56 => "CL_INVALID_GLOBAL_OFFSET",
        -57 => "CL_INVALID_EVENT_WAIT_LIST",
        -58 => "CL_INVALID_EVENT",
        -59 => "CL_INVALID_OPERATION",
        -60 => "CL_INVALID_GL_OBJECT",
        -61 => "CL_INVALID_BUFFER_SIZE",
        -62 => "CL_INVALID_MIP_LEVEL",
        -63 => "CL_INVALID_GLOBAL_WORK_SIZE",
        -64 => "CL_INVALID_PROPERTY",
        -65 => "CL_INVALID_IMAGE_DESCRIPTOR",
        -66 => "CL_INVALID_COMPILER_OPTIONS",
        -67 => "CL_INVALID_LINKER_OPTIONS",
        -68 => "CL_INVALID_DEVICE_PARTITION_COUNT",
        -69 => "CL_INVALID_PIPE_SIZE",
        -70 => "CL_INVALID_DEVICE_QUEUE",
        -71 => "CL_INVALID_SPEC_ID",
        -72 => "CL_MAX_SIZE_RESTRICTION_EXCEEDED",
        -1000 => "CL_INVALID_GL_SHAREGROUP_REFERENCE_KHR",
        -1001 => "CL_PLATFORM_NOT_FOUND_KHR",
        _ => "CL_UNKNOWN_ERROR",
    };

    /// <summary>
    /// Throws unless <paramref name="status"/> is <c>CL_SUCCESS</c>. Drivers allocate lazily, so an allocation
    /// failure can surface at any enqueue: that one is always a <see cref="DeviceOutOfMemoryException"/>.
    /// </summary>
    public static void Check(int status, string call, string? detail = null)
    {
        if (status != Success)
        {
            throw Failure(status, call, detail);
        }
    }

    /// <summary>The exception for <paramref name="call"/> having returned <paramref name="status"/>.</summary>
    public static NativeCallException Failure(int status, string call, string? detail = null) => status switch
    {
        MemObjectAllocationFailure => new DeviceOutOfMemoryException(call, ErrorName(status), status,
            detail ?? "the device could not allocate memory for a buffer"),
        // NVIDIA reports a kernel that faulted (e.g. read out of bounds) as this, at the next call on the queue.
        OutOfResources => new NativeCallException(call, ErrorName(status), status,
            (detail is null ? "" : detail + "; ") +
            "the device ran out of resources, or an earlier kernel faulted (an out-of-bounds access shows up like this on " +
            "some drivers: run the kernel on the CPU accelerator, which checks every access)"),
        _ => new NativeCallException(call, ErrorName(status), status, detail),
    };

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="text"/>, for <c>const char*</c> arguments.</summary>
    public static byte[] Utf8Z(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    /// <summary>Decodes a string query's result, which includes the terminating NUL.</summary>
    public static string FromUtf8Z(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]).Trim();
    }

    public static string PlatformString(nint platform, uint param)
    {
        nuint size;
        Check(clGetPlatformInfo(platform, param, 0, null, &size), "clGetPlatformInfo");
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes)
        {
            Check(clGetPlatformInfo(platform, param, size, p, null), "clGetPlatformInfo");
        }
        return FromUtf8Z(bytes);
    }

    public static string DeviceString(nint device, uint param)
    {
        nuint size;
        Check(clGetDeviceInfo(device, param, 0, null, &size), "clGetDeviceInfo");
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes)
        {
            Check(clGetDeviceInfo(device, param, size, p, null), "clGetDeviceInfo");
        }
        return FromUtf8Z(bytes);
    }

    /// <summary>A fixed-size device query (<c>cl_uint</c>, <c>cl_ulong</c>, <c>size_t</c>, <c>cl_bool</c>, bitfields).</summary>
    public static TValue DeviceValue<TValue>(nint device, uint param) where TValue : unmanaged
    {
        TValue value = default;
        Check(clGetDeviceInfo(device, param, (nuint)sizeof(TValue), &value, null), "clGetDeviceInfo");
        return value;
    }

    /// <summary><c>CL_DEVICE_MAX_WORK_ITEM_SIZES</c> for the first three dimensions (1 for any the device lacks).</summary>
    public static long[] MaxWorkItemSizes(nint device)
    {
        uint dims = DeviceValue<uint>(device, DeviceMaxWorkItemDimensions);
        var sizes = new nuint[Math.Max(dims, 3u)];
        fixed (nuint* p = sizes)
        {
            Check(clGetDeviceInfo(device, DeviceMaxWorkItemSizes, (nuint)(dims * (uint)sizeof(nuint)), p, null), "clGetDeviceInfo");
        }
        return [.. sizes.Take(3).Select(s => s == 0 ? 1L : (long)Math.Min(s, (nuint)int.MaxValue))];
    }
}
