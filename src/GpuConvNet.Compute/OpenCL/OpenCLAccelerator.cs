using System.Globalization;
using static GpuConvNet.Compute.OpenCL.OpenCLNative;

namespace GpuConvNet.Compute.OpenCL;

/// <summary>
/// An OpenCL device: one context and one in-order command queue. Each kernel's generated OpenCL C is built the first
/// time it is launched here and kept until the accelerator is disposed. Launches and fills are enqueued and return at
/// once; <see cref="Synchronize"/>, and every copy to or from the host, waits for what was queued before it.
/// </summary>
public unsafe partial class OpenCLAccelerator : Accelerator
{
    private readonly nint deviceId;
    private readonly long[] maxItemSizes;
    private readonly CompiledKernels<OpenCLCompiler.CompiledKernel> kernels = new();
    private readonly Lock buildGate = new();
    // A cl_kernel's arguments are state shared by every thread that launches it (OpenCL's one non-thread-safe call).
    private readonly Lock launchGate = new();
    private nint context;
    private nint queue;

    internal OpenCLAccelerator(DeviceInfo device, nint platform, nint deviceId) : base(device)
    {
        this.deviceId = deviceId;
        maxItemSizes = MaxWorkItemSizes(deviceId);
        LaneLoops = device.Type == DeviceType.Cpu;
        int status;
        nint* properties = stackalloc nint[] { ContextPlatform, platform, 0 };
        context = clCreateContext(properties, 1, &deviceId, 0, 0, &status);
        Check(status, "clCreateContext", device.Name);
        queue = clCreateCommandQueue(context, deviceId, 0, &status);
        if (status != Success)
        {
            // The queue's failure is the one to report; the context is only being cleaned up after it.
            _ = clReleaseContext(context);
            context = 0;
            throw Failure(status, "clCreateCommandQueue", device.Name);
        }
    }

    internal nint Context => context;

    /// <summary>
    /// Whether auto-grouped kernels run as lane loops (<see cref="KernelDefinition.RowsEntryPoint"/>): each lane a block
    /// of indices, x innermost, about 32 lanes per compute unit. On by default on CPU devices, where PoCL vectorises
    /// a lane's loop but not the lanes of a guarded kernel (an elementwise kernel ran 5–15× faster; kernels.md);
    /// off elsewhere, where one lane per index is what GPUs want. Settable to measure one against the other.
    /// </summary>
    public bool LaneLoops { get; set; }

    internal nint Queue => queue;

    /// <inheritdoc />
    public override void Synchronize()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        int status = clFinish(queue);
        if (status != Success)
        {
            throw Failure(status, "clFinish", $"waiting for the work queued on {Name}");
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (queue != 0)
        {
            // Finish before freeing so that no driver sees its objects vanish under running work. Its status is the
            // fate of earlier launches, which Synchronize and the copies report; raising it here would replace the
            // exception that is often unwinding through a `using` at this very moment.
            _ = clFinish(queue);
        }
        var failures = new List<string>();
        void Release(int status, string call)
        {
            if (status != Success)
            {
                failures.Add($"{call}: {ErrorName(status)} ({status})");
            }
        }
        lock (buildGate)
        {
            foreach (var compiled in kernels.All)
            {
                Release(clReleaseKernel(compiled.Kernel), "clReleaseKernel");
                Release(clReleaseProgram(compiled.Program), "clReleaseProgram");
            }
            kernels.Clear();
        }
        if (queue != 0)
        {
            Release(clReleaseCommandQueue(queue), "clReleaseCommandQueue");
            queue = 0;
        }
        if (context != 0)
        {
            // Buffers still alive keep the context alive in the driver; it is freed with the last of them.
            Release(clReleaseContext(context), "clReleaseContext");
            context = 0;
        }
        if (failures.Count > 0)
        {
            throw new ComputeException($"releasing {Name} failed: {string.Join("; ", failures)}");
        }
    }

    private protected override MemoryBuffer<T> AllocateCore<T>(int length) => new OpenCLMemoryBuffer<T>(this, length);

    private protected override void LaunchCore(KernelDefinition kernel, Index3D extent, KernelConfig config, object?[] args)
    {
        bool laneLoops = LaneLoops && !kernel.IsGrouped;
        var compiled = GetOrBuild(kernel, laneLoops, args);
        nuint* global = stackalloc nuint[3];
        nuint* local = stackalloc nuint[3];
        Span<int> chunks = stackalloc int[3];
        uint dims;
        if (kernel.IsGrouped)
        {
            dims = GroupedShape(kernel, compiled, config, global, local);
        }
        else if (laneLoops)
        {
            dims = (uint)kernel.IndexRank;
            LaneLoopShape(kernel.IndexRank, extent, global, local, chunks);
        }
        else
        {
            dims = (uint)kernel.IndexRank;
            IndexedShape(kernel.IndexRank, extent, compiled.MaxGroupSize, global, local);
        }

        lock (launchGate)
        {
            nint k = compiled.Kernel;
            uint index = 0;
            if (!kernel.IsGrouped)
            {
                ReadOnlySpan<int> extents = [extent.X, extent.Y, extent.Z];
                for (int d = 0; d < kernel.IndexRank; d++)
                {
                    SetArg(k, kernel, index++, extents[d]);
                }
            }
            for (int i = 0; i < kernel.Parameters.Count; i++)
            {
                index = SetParameter(k, kernel, i, args[i], index);
            }
            if (kernel.DynamicSharedMemory)
            {
                index = SetDynamicSharedMemory(k, kernel, config.SharedMemoryConfig, index);
            }
            for (int d = 0; laneLoops && d < kernel.IndexRank; d++)
            {
                SetArg(k, kernel, index++, chunks[d]);
            }
            // Each message is formatted only on failure: these checks run on every launch (formatted eagerly, the
            // messages of a launch's dozen arguments cost about as much as the launch itself).
            int enqueued = clEnqueueNDRangeKernel(queue, k, dims, null, global, local, 0, null, null);
            if (enqueued != Success)
            {
                throw Failure(enqueued, "clEnqueueNDRangeKernel", $"kernel {kernel.Name} on {Name}, global {Shape(global, dims)}, local {Shape(local, dims)}");
            }
        }
        // Some drivers (NVIDIA's among them) hold enqueued work until a flush; without one a launch would not start
        // before the next blocking call, and the host could not overlap its own work with the device's.
        int flushed = clFlush(queue);
        if (flushed != Success)
        {
            throw Failure(flushed, "clFlush", $"submitting kernel {kernel.Name} on {Name}");
        }
        Launched(kernel);
    }

    /// <summary>Called after each launch is submitted: an engine built on this one (Oclgrind) checks the launch there.</summary>
    private protected virtual void Launched(KernelDefinition kernel)
    {
    }

    private static uint SetParameter(nint handle, KernelDefinition kernel, int position, object? arg, uint index)
    {
        var parameter = kernel.Parameters[position];
        if (parameter.Kind == KernelParameterKind.Specialized)
        {
            // Compiled into the program: the device signature has no slot for it.
            return index;
        }
        if (parameter.Kind == KernelParameterKind.View)
        {
            var view = (IArrayView)arg!;
            // An unbound default view has no buffer: the kernel gets a NULL pointer and length 0.
            nint mem = view.Buffer is IOpenCLBuffer buffer ? buffer.Handle : 0;
            SetArg(handle, kernel, index++, mem);
            SetArg(handle, kernel, index++, mem == 0 ? 0 : view.Offset);
            SetArg(handle, kernel, index++, mem == 0 ? 0 : view.Length);
            return index;
        }
        // Accelerator checked the type against the parameter: one of the language's four scalar types.
        switch (arg)
        {
            case int value:
                SetArg(handle, kernel, index, value);
                break;
            case uint value:
                SetArg(handle, kernel, index, value);
                break;
            case long value:
                SetArg(handle, kernel, index, value);
                break;
            default:
                SetArg(handle, kernel, index, (float)arg!);
                break;
        }
        return index + 1;
    }

    private static void SetArg<TArg>(nint handle, KernelDefinition kernel, uint index, TArg value) where TArg : unmanaged
    {
        int status = clSetKernelArg(handle, index, (nuint)sizeof(TArg), &value);
        if (status != Success)
        {
            throw Failure(status, "clSetKernelArg", $"kernel {kernel.Name}, argument {index}");
        }
    }

    private uint GroupedShape(KernelDefinition kernel, OpenCLCompiler.CompiledKernel compiled, KernelConfig config, nuint* global, nuint* local)
    {
        ReadOnlySpan<int> grid = [config.GridDim.X, config.GridDim.Y, config.GridDim.Z];
        ReadOnlySpan<int> group = [config.GroupDim.X, config.GroupDim.Y, config.GroupDim.Z];
        if (config.GroupSize > compiled.MaxGroupSize)
        {
            throw new ArgumentOutOfRangeException(nameof(config),
                $"kernel {kernel.Name}: a group of {config.GroupSize} lanes exceeds this kernel's limit of {compiled.MaxGroupSize} " +
                $"on {Name} (CL_KERNEL_WORK_GROUP_SIZE; it uses too many registers or too much local memory for more)");
        }
        for (int d = 0; d < 3; d++)
        {
            if (group[d] > maxItemSizes[d])
            {
                throw new ArgumentOutOfRangeException(nameof(config),
                    $"kernel {kernel.Name}: a group {group[d]} lanes wide in dimension {"XYZ"[d]} exceeds {Name}'s limit of {maxItemSizes[d]}");
            }
            global[d] = (nuint)((long)grid[d] * group[d]);
            local[d] = (nuint)group[d];
        }
        // Fewer dimensions where the shape allows: get_global_id etc. of unused dimensions still answer 0 / 1.
        return grid[2] > 1 || group[2] > 1 ? 3u : grid[1] > 1 || group[1] > 1 ? 2u : 1u;
    }

    /// <summary>
    /// Picks the group shape of an auto-grouped launch and rounds the global size up to whole groups (the generated
    /// kernels return early outside their extent). On GPUs, dimensions much smaller than the default group are
    /// narrowed so that, e.g., a 1000 × 1 extent is not padded sixteen-fold, and the lanes go to X instead. On CPU
    /// devices the default shape is kept whatever the extent: PoCL compiles a kernel once per group shape (~0.5 s each),
    /// so narrowing would recompile for every new shape (each layer, each test case), while padding lanes that return
    /// at once cost next to nothing there. This launch-size policy lives here, in the engine, so that ops pass their
    /// true extents.
    /// </summary>
    private void IndexedShape(int rank, Index3D extent, long kernelMax, nuint* global, nuint* local)
    {
        bool narrow = Device.Type != DeviceType.Cpu;
        Span<long> group = stackalloc long[3];
        group.Fill(1);
        switch (rank)
        {
            case 1:
                group[0] = 256;
                break;
            case 2:
                group[0] = 16;
                group[1] = 16;
                break;
            default:
                group[0] = 8;
                group[1] = 8;
                group[2] = 4;
                break;
        }
        ReadOnlySpan<int> extents = [extent.X, extent.Y, extent.Z];
        long budget = group[0] * group[1] * group[2];
        for (int d = 0; d < rank && narrow; d++)
        {
            long cover = CeilingPow2(extents[d]);
            group[d] = Math.Min(group[d], cover);
        }
        for (int d = 0; d < rank && narrow; d++)
        {
            long cover = CeilingPow2(extents[d]);
            while (group[0] * group[1] * group[2] * 2 <= budget && group[d] * 2 <= cover)
            {
                group[d] *= 2;
            }
        }
        for (int d = 0; d < 3; d++)
        {
            group[d] = Math.Min(group[d], maxItemSizes[d]);
        }
        long limit = Math.Max(1, kernelMax);
        while (group[0] * group[1] * group[2] > limit)
        {
            int largest = group[0] >= group[1] && group[0] >= group[2] ? 0 : group[1] >= group[2] ? 1 : 2;
            group[largest] = Math.Max(1, group[largest] / 2);
        }
        for (int d = 0; d < 3; d++)
        {
            long size = Math.Max(1, extents[d]);
            local[d] = (nuint)group[d];
            global[d] = (nuint)((size + group[d] - 1) / group[d] * group[d]);
        }
    }

    /// <summary>
    /// The grid of a lane-loop launch: the extent cut into about 32 blocks per compute unit (enough to even out the
    /// threads, few enough that each block is long), whole z planes and y rows first, then x in multiples of 16 so
    /// that vector loops start aligned. One lane per group: the blocks are the unit of work, and PoCL compiles a
    /// kernel once per group shape, so every lane-loop launch shares one.
    /// </summary>
    private void LaneLoopShape(int rank, Index3D extent, nuint* global, nuint* local, Span<int> chunks)
    {
        ReadOnlySpan<int> extents = [extent.X, extent.Y, extent.Z];
        long remaining = 32L * Math.Max(1, Device.ComputeUnits);
        for (int d = 2; d >= 0; d--)
        {
            int size = Math.Max(1, extents[d]);
            int chunk = size;
            if (d >= rank)
            {
                chunk = 1;
            }
            else if (d > 0)
            {
                chunk = (int)((size + Math.Min(size, remaining) - 1) / Math.Min(size, remaining));
            }
            else if (remaining > 1)
            {
                chunk = (int)Math.Min(size, ((size + remaining - 1) / remaining + 15) / 16 * 16);
            }
            long blocks = (size + chunk - 1) / chunk;
            remaining = Math.Max(1, (remaining + blocks - 1) / blocks);
            chunks[d] = chunk;
            global[d] = (nuint)blocks;
            local[d] = 1;
        }
    }

    private static long CeilingPow2(int value) => System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, value));

    private static string Shape(nuint* size, uint dims)
    {
        var parts = new string[dims];
        for (int d = 0; d < dims; d++)
        {
            parts[d] = size[d].ToString(CultureInfo.InvariantCulture);
        }
        return $"({string.Join(", ", parts)})";
    }

    private OpenCLCompiler.CompiledKernel GetOrBuild(KernelDefinition kernel, bool laneLoops, object?[] args)
    {
        lock (buildGate)
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            string entryPoint = laneLoops ? kernel.RowsEntryPoint : kernel.EntryPoint;
            return kernels.GetOrAdd(kernel, entryPoint, args, (Accelerator: this, Kernel: kernel, Args: args, EntryPoint: entryPoint),
                static s => OpenCLCompiler.Build(s.Accelerator.context, s.Accelerator.deviceId, s.Accelerator.Name, s.Accelerator.Device.MaxGroupSize,
                    s.Kernel, s.Kernel.SourceFor(KernelDialects.OpenCL, s.Args), s.EntryPoint));
        }
    }

}
