using System.Globalization;

namespace GpuConvNet.Compute.Cuda;

/// <summary>
/// An NVIDIA GPU driven through the CUDA driver API. Kernels are compiled from their generated CUDA C by NVRTC
/// (once per accelerator), loaded as modules into the device's primary context, and launched on one stream, in
/// order; launches and fills return at once, copies to and from the host wait for the stream.
/// </summary>
/// <remarks>
/// Open one with <c>Accelerators.Create("cuda")</c> or <c>"cuda:N"</c>. The accelerator makes its context current
/// on the calling thread at the start of every operation, so it may be used from different threads (one at a
/// time). Kernel faults (such as an out-of-bounds access) are reported by the next call that waits for the
/// stream, as a <see cref="NativeCallException"/> such as <c>CUDA_ERROR_ILLEGAL_ADDRESS</c>; the device's context
/// is unusable afterwards, so dispose the accelerator.
/// </remarks>
public sealed class CudaAccelerator : Accelerator
{
    // Auto-grouped launch shapes: 256 lanes per group, squarish in 2D and 3D so that neighbouring lanes touch
    // neighbouring elements along X (coalesced) while groups stay small enough to fit any kernel's registers.
    private static readonly (int X, int Y, int Z)[] AutoGroup = [(256, 1, 1), (256, 1, 1), (16, 16, 1), (8, 8, 4)];

    private readonly int ordinal;
    private readonly int device;
    private readonly nint context;
    private readonly nint stream;
    private readonly (int X, int Y, int Z) maxBlock;
    private readonly (int X, int Y, int Z) maxGrid;
    private readonly int architecture;
    private readonly Version nvrtcVersion;

    private readonly Lock gate = new();
    private readonly CompiledKernels<CudaKernel> kernels = new();
    private readonly HashSet<ulong> allocations = [];

    // The error code this accelerator last threw (so that Dispose does not throw the same error again) and the
    // kernel last launched (named when a kernel fault surfaces later).
    private int lastReportedError;
    private string? lastLaunch;

    internal CudaAccelerator(DeviceInfo info, int ordinal) : base(info)
    {
        NativeLibraries.Require(NativeLibraries.Cuda, "the CUDA backend needs the NVIDIA driver");
        NativeLibraries.Require(NativeLibraries.Nvrtc, "the CUDA backend compiles kernels with NVRTC");
        this.ordinal = ordinal;
        CudaNative.Check(CudaNative.cuInit(0), "cuInit");
        CudaNative.Check(CudaNative.cuDeviceGet(out device, ordinal), "cuDeviceGet", $"ordinal {ordinal}");

        int major = CudaNative.Attribute(device, CudaNative.AttributeComputeCapabilityMajor, "COMPUTE_CAPABILITY_MAJOR");
        int minor = CudaNative.Attribute(device, CudaNative.AttributeComputeCapabilityMinor, "COMPUTE_CAPABILITY_MINOR");
        ComputeCapability = new Version(major, minor);
        maxBlock = (CudaNative.Attribute(device, CudaNative.AttributeMaxBlockDimX, "MAX_BLOCK_DIM_X"),
                    CudaNative.Attribute(device, CudaNative.AttributeMaxBlockDimY, "MAX_BLOCK_DIM_Y"),
                    CudaNative.Attribute(device, CudaNative.AttributeMaxBlockDimZ, "MAX_BLOCK_DIM_Z"));
        maxGrid = (CudaNative.Attribute(device, CudaNative.AttributeMaxGridDimX, "MAX_GRID_DIM_X"),
                   CudaNative.Attribute(device, CudaNative.AttributeMaxGridDimY, "MAX_GRID_DIM_Y"),
                   CudaNative.Attribute(device, CudaNative.AttributeMaxGridDimZ, "MAX_GRID_DIM_Z"));

        // Choose the compile target now: an NVRTC that cannot target this device makes the accelerator useless.
        nvrtcVersion = NvrtcNative.Version();
        architecture = CudaCompiler.SelectArchitecture(major * 10 + minor, NvrtcNative.SupportedArchitectures(), nvrtcVersion);

        // The primary context is the one the CUDA runtime and other libraries share, so buffers and modules of
        // several accelerators on one device live together and retaining it is cheap.
        CudaNative.Check(CudaNative.cuDevicePrimaryCtxRetain(out context, device), "cuDevicePrimaryCtxRetain", $"device {ordinal}");
        try
        {
            CudaNative.Check(CudaNative.cuCtxSetCurrent(context), "cuCtxSetCurrent");
            // A blocking stream (CU_STREAM_DEFAULT) also orders with work others put on the legacy default stream.
            CudaNative.Check(CudaNative.cuStreamCreate(out stream, CudaNative.StreamDefault), "cuStreamCreate");
        }
        catch
        {
            // Undo the retain; the error being thrown matters more than a failure to release.
            _ = CudaNative.cuDevicePrimaryCtxRelease_v2(device);
            throw;
        }
    }

    /// <summary>The device's compute capability, e.g. 9.0 for an H100.</summary>
    public Version ComputeCapability { get; }

    /// <summary>
    /// The virtual architecture kernels are compiled for, e.g. <c>compute_90</c>: the device's own, or the newest
    /// that NVRTC supports below it.
    /// </summary>
    public string CompileArchitecture => $"compute_{architecture}";

    /// <summary>The NVRTC version that compiles this accelerator's kernels.</summary>
    public Version NvrtcVersion => nvrtcVersion;

    internal nint Stream => stream;

    /// <inheritdoc />
    public override void Synchronize()
    {
        Enter();
        Check(CudaNative.cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // No finalizer: driver calls from the finalizer thread would race the owner's calls, and the driver frees
        // everything at process exit anyway. So this runs only from Dispose(). Keep going after a failure so that
        // every resource is released, then report the first failure.
        NativeCallException? first = null;
        void Step(int result, string call)
        {
            if (result != CudaNative.Success && first is null)
            {
                first = CudaNative.Error(result, call, $"while disposing {Device.Id}");
            }
        }

        Step(CudaNative.cuCtxSetCurrent(context), "cuCtxSetCurrent");
        // Let queued work finish before its memory and code go away.
        Step(CudaNative.cuStreamSynchronize(stream), "cuStreamSynchronize");
        lock (gate)
        {
            // Buffers still alive: free them here, since another accelerator may keep the primary context (and so
            // the memory) alive. Their own Dispose then has nothing left to do.
            foreach (ulong pointer in allocations)
            {
                Step(CudaNative.cuMemFree_v2(pointer), "cuMemFree_v2");
            }
            allocations.Clear();
            foreach (var kernel in kernels.All)
            {
                Step(CudaNative.cuModuleUnload(kernel.Module), "cuModuleUnload");
            }
            kernels.Clear();
        }
        Step(CudaNative.cuStreamDestroy_v2(stream), "cuStreamDestroy_v2");
        // The last release resets the primary context, which frees everything left in it.
        Step(CudaNative.cuDevicePrimaryCtxRelease_v2(device), "cuDevicePrimaryCtxRelease_v2");
        // An error already thrown (typically a kernel fault, which every later call repeats) is not thrown again.
        if (first is not null && first.Code != lastReportedError)
        {
            throw first;
        }
    }

    private protected override MemoryBuffer<T> AllocateCore<T>(int length) => new CudaMemoryBuffer<T>(this, length);

    private protected override unsafe void LaunchCore(KernelDefinition kernel, Index3D extent, KernelConfig config, object?[] args)
    {
        Enter();
        var compiled = GetKernel(kernel, args);
        var (grid, block) = LaunchShape(kernel, compiled, extent, config);

        // kernelParams: one pointer per device parameter, each to an 8-byte slot holding the value (little-endian,
        // so a 4-byte value sits at the slot's start and the driver copies just the parameter's size from it). The
        // slots live on this stack frame, so they stay put for the call; the driver copies the values before
        // cuLaunchKernel returns.
        // A kernel that reads dynamic shared memory takes its size in bytes last; the memory is the launch's own.
        int dynamic = kernel.DynamicSharedMemory ? 1 : 0;
        int slots = ParameterSlots(kernel) + dynamic;
        ulong* values = stackalloc ulong[Math.Max(slots, 1)];
        nint* pointers = stackalloc nint[Math.Max(slots, 1)];
        WriteArguments(kernel, extent, args, new Span<ulong>(values, slots - dynamic));
        uint sharedBytes = (uint)config.SharedMemoryConfig.ArraySize;
        if (dynamic == 1)
        {
            values[slots - 1] = sharedBytes;
        }
        for (int i = 0; i < slots; i++)
        {
            pointers[i] = (nint)(values + i);
        }

        compiled.CheckParameters(kernel, slots);
        lastLaunch = kernel.Name;
        int result = CudaNative.cuLaunchKernel(compiled.Function,
            (uint)grid.X, (uint)grid.Y, (uint)grid.Z,
            (uint)block.X, (uint)block.Y, (uint)block.Z,
            kernel.DynamicSharedMemory ? sharedBytes : 0, stream, (void**)pointers, null);
        if (result != CudaNative.Success)
        {
            Check(result, "cuLaunchKernel", $"kernel {kernel.Name}, grid {Format(grid)}, group {Format(block)}");
        }
    }

    /// <summary>The grid and group of a launch: the caller's for a grouped kernel, whole groups over the extent otherwise.</summary>
    private (Index3D Grid, Index3D Block) LaunchShape(KernelDefinition kernel, CudaKernel compiled, Index3D extent, KernelConfig config)
    {
        Index3D block, grid;
        if (kernel.IsGrouped)
        {
            block = config.GroupDim;
            grid = config.GridDim;
            if (config.GroupSize > compiled.MaxThreadsPerBlock)
            {
                throw new ArgumentOutOfRangeException(nameof(config),
                    $"kernel {kernel.Name}: a group of {config.GroupSize} lanes does not fit on {Name}: the compiled kernel uses " +
                    $"{compiled.Registers} registers per lane, which allows at most {compiled.MaxThreadsPerBlock} lanes per group");
            }
        }
        else
        {
            var shape = AutoGroup[kernel.IndexRank];
            block = new Index3D(shape.X, shape.Y, shape.Z);
            // Whole groups covering the extent; the kernel skips the lanes past it.
            grid = new Index3D(GroupsFor(extent.X, shape.X), GroupsFor(extent.Y, shape.Y), GroupsFor(extent.Z, shape.Z));
        }
        CheckShape(kernel, block, grid, kernel.IsGrouped ? nameof(config) : nameof(extent));
        return (grid, block);
    }

    /// <summary>Device parameters of the launch convention: the extents, then 3 per view and 1 per scalar.</summary>
    private static int ParameterSlots(KernelDefinition kernel)
    {
        int slots = kernel.IndexRank;
        foreach (var parameter in kernel.Parameters)
        {
            slots += parameter.Kind switch
            {
                KernelParameterKind.View => 3,
                KernelParameterKind.Scalar => 1,
                _ => 0,
            };
        }
        return slots;
    }

    /// <summary>The launch's values in device-parameter order (see <see cref="KernelDefinition"/>'s convention).</summary>
    private static void WriteArguments(KernelDefinition kernel, Index3D extent, object?[] args, Span<ulong> values)
    {
        int slot = 0;
        // Auto-grouped kernels first take their extents as ints.
        ReadOnlySpan<int> extents = [extent.X, extent.Y, extent.Z];
        for (int d = 0; d < kernel.IndexRank; d++)
        {
            values[slot++] = (uint)extents[d];
        }
        for (int i = 0; i < args.Length; i++)
        {
            var parameter = kernel.Parameters[i];
            switch (parameter.Kind)
            {
                case KernelParameterKind.View:
                    // A view is (T* base, int offset, int length); the unbound empty view passes a null base.
                    var view = (IArrayView)args[i]!;
                    values[slot++] = view.Buffer switch
                    {
                        null => 0,
                        ICudaBuffer buffer => buffer.DevicePointer,
                        _ => throw new ArgumentException($"kernel {kernel.Name}: argument '{parameter.Name}' is not a CUDA buffer", nameof(args)),
                    };
                    values[slot++] = (uint)view.Offset;
                    values[slot++] = (uint)view.Length;
                    break;
                case KernelParameterKind.Scalar:
                    values[slot++] = ScalarBits(args[i]);
                    break;
                default:
                    // Specialised: compiled into the module, no device parameter.
                    break;
            }
        }
    }

    /// <summary>Makes the context current on this thread; every operation starts here.</summary>
    internal void Enter()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        Check(CudaNative.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    /// <summary>
    /// Throws for a failed driver call, naming the kernel last launched when the error is a kernel fault that
    /// surfaced here, and remembers the code so that Dispose does not report it twice.
    /// </summary>
    internal void Check(int result, string call, string? context = null)
    {
        if (result == CudaNative.Success)
        {
            return;
        }
        lastReportedError = result;
        if (CudaNative.IsKernelFault(result) && lastLaunch is not null)
        {
            string fault = $"a kernel failed on the device (the last one launched was {lastLaunch}); the CUDA context is now unusable: dispose every accelerator on {Device.Id}";
            context = context is null ? fault : $"{context}; {fault}";
        }
        throw CudaNative.Error(result, call, context);
    }

    /// <summary>Allocates <paramref name="bytes"/> of device memory (none, pointer 0, for 0 bytes).</summary>
    internal ulong AllocateDevice(long bytes)
    {
        Enter();
        if (bytes == 0)
        {
            return 0;
        }
        int result = CudaNative.cuMemAlloc_v2(out ulong pointer, (nuint)bytes);
        if (result != CudaNative.Success)
        {
            Check(result, "cuMemAlloc_v2", $"{bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes on {Device.Id} ({Name})");
        }
        lock (gate)
        {
            allocations.Add(pointer);
        }
        return pointer;
    }

    /// <summary>Frees memory from <see cref="AllocateDevice"/>; nothing to do once the accelerator is disposed (it freed it).</summary>
    internal void FreeDevice(ulong pointer)
    {
        if (pointer == 0)
        {
            return;
        }
        lock (gate)
        {
            if (IsDisposed || !allocations.Remove(pointer))
            {
                return;
            }
        }
        // Launches queued on the stream may still use the memory; cuMemFree does not wait for our stream.
        if (CheckCleanup(CudaNative.cuCtxSetCurrent(context), "cuCtxSetCurrent") &&
            CheckCleanup(CudaNative.cuStreamSynchronize(stream), "cuStreamSynchronize"))
        {
            CheckCleanup(CudaNative.cuMemFree_v2(pointer), "cuMemFree_v2");
        }
    }

    /// <summary>
    /// Check for cleanup calls: throws for a new error, but returns false for the error this accelerator already
    /// threw (after a kernel fault every call repeats it, and the context reset on release frees the memory).
    /// </summary>
    private bool CheckCleanup(int result, string call)
    {
        if (result == CudaNative.Success)
        {
            return true;
        }
        if (result == lastReportedError)
        {
            return false;
        }
        Check(result, call);
        return false;
    }

    private CudaKernel GetKernel(KernelDefinition kernel, object?[] args)
    {
        lock (gate)
        {
            return kernels.GetOrAdd(kernel, "", args, (Accelerator: this, Kernel: kernel, Args: args),
                static s => s.Accelerator.Load(s.Kernel, s.Kernel.SourceFor(KernelDialects.Cuda, s.Args)));
        }
    }

    private unsafe CudaKernel Load(KernelDefinition kernel, string source)
    {
        byte[] image = CudaCompiler.Compile(kernel, source, architecture, cubin: false, nvrtcVersion);
        int result;
        nint module;
        fixed (byte* p = image)
        {
            result = CudaNative.cuModuleLoadData(out module, p);
        }
        if (result == CudaNative.ErrorUnsupportedPtxVersion && architecture == ComputeCapability.Major * 10 + ComputeCapability.Minor)
        {
            // NVRTC is newer than the driver, whose JIT rejects the PTX. Machine code for the device itself
            // (sm_XY) needs no JIT, and drivers load cubins from newer toolkits of the same major version.
            byte[]? cubin = null;
            try
            {
                cubin = CudaCompiler.Compile(kernel, source, architecture, cubin: true, nvrtcVersion);
            }
            catch (EntryPointNotFoundException)
            {
                // NVRTC before 11.1 cannot emit cubins: report the PTX version error below.
            }
            if (cubin is not null)
            {
                fixed (byte* p = cubin)
                {
                    result = CudaNative.cuModuleLoadData(out module, p);
                }
            }
        }
        if (result != CudaNative.Success)
        {
            string hint = result == CudaNative.ErrorUnsupportedPtxVersion
                ? $"; NVRTC {nvrtcVersion} is newer than the driver's PTX compiler: update the NVIDIA driver or use an older NVRTC"
                : "";
            Check(result, "cuModuleLoadData", $"kernel {kernel.Name} compiled for {CompileArchitecture}{hint}");
        }
        try
        {
            result = CudaNative.cuModuleGetFunction(out nint function, module, kernel.EntryPoint);
            if (result != CudaNative.Success)
            {
                Check(result, "cuModuleGetFunction", $"kernel {kernel.Name}: entry point '{kernel.EntryPoint}' is not in the compiled module");
            }
            result = CudaNative.cuFuncGetAttribute(out int maxThreads, CudaNative.FunctionAttributeMaxThreadsPerBlock, function);
            Check(result, "cuFuncGetAttribute", "MAX_THREADS_PER_BLOCK");
            result = CudaNative.cuFuncGetAttribute(out int registers, CudaNative.FunctionAttributeNumRegs, function);
            Check(result, "cuFuncGetAttribute", "NUM_REGS");
            return new CudaKernel(module, function, maxThreads, registers, ReadParameterSizes(function));
        }
        catch
        {
            _ = CudaNative.cuModuleUnload(module);
            throw;
        }
    }

    /// <summary>
    /// The byte size of each parameter of the compiled kernel, or null when the driver cannot say (before CUDA
    /// 12.4). Used to check, once per kernel, that the launch passes what the device code expects: a mismatch
    /// would otherwise make the kernel read garbage or write through a wild pointer.
    /// </summary>
    private static List<int>? ReadParameterSizes(nint function)
    {
        try
        {
            var sizes = new List<int>();
            for (nuint index = 0; index < 4096; index++)
            {
                int result = CudaNative.cuFuncGetParamInfo(function, index, out _, out nuint size);
                if (result == CudaNative.ErrorInvalidValue)
                {
                    // Past the last parameter. None at all is treated as unknown rather than trusted: every
                    // kernel of this layer takes parameters, so an empty answer means the query did not work.
                    return sizes.Count > 0 ? sizes : null;
                }
                if (result != CudaNative.Success)
                {
                    return null;
                }
                sizes.Add((int)size);
            }
            return null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    private void CheckShape(KernelDefinition kernel, Index3D block, Index3D grid, string parameter)
    {
        if (block.X > maxBlock.X || block.Y > maxBlock.Y || block.Z > maxBlock.Z)
        {
            throw new ArgumentOutOfRangeException(parameter,
                $"kernel {kernel.Name}: group {Format(block)} exceeds {Name}'s limit of {maxBlock.X}×{maxBlock.Y}×{maxBlock.Z} per dimension");
        }
        if (grid.X > maxGrid.X || grid.Y > maxGrid.Y || grid.Z > maxGrid.Z)
        {
            throw new ArgumentOutOfRangeException(parameter,
                $"kernel {kernel.Name}: {grid.X}×{grid.Y}×{grid.Z} groups (of {Format(block)}) exceed {Name}'s grid limit of {maxGrid.X}×{maxGrid.Y}×{maxGrid.Z}");
        }
    }

    /// <summary>A scalar's bytes, zero-extended to the 8-byte slot (the driver copies only the parameter's size).</summary>
    private static ulong ScalarBits(object? value) => value switch
    {
        // Accelerator checked the type against the parameter: one of the language's four scalar types.
        int v => (uint)v,
        uint v => v,
        long v => (ulong)v,
        _ => BitConverter.SingleToUInt32Bits((float)value!),
    };

    private static int GroupsFor(int extent, int group) => (int)(((long)extent + group - 1) / group);

    private static string Format(Index3D size) => $"{size.X}×{size.Y}×{size.Z}";

    /// <inheritdoc />
    public override string ToString() => $"{base.ToString()} (compute capability {ComputeCapability}, CUDA device {ordinal})";

    /// <summary>A loaded kernel: its module, entry point, limits and (when the driver reports it) parameter sizes.</summary>
    private sealed class CudaKernel(nint module, nint function, int maxThreadsPerBlock, int registers, List<int>? parameterSizes)
    {
        private bool parametersChecked;

        public nint Module { get; } = module;

        public nint Function { get; } = function;

        public int MaxThreadsPerBlock { get; } = maxThreadsPerBlock;

        public int Registers { get; } = registers;

        /// <summary>Checks (once) that the device function takes as many parameters as the launch passes.</summary>
        public void CheckParameters(KernelDefinition kernel, int slots)
        {
            if (parametersChecked)
            {
                return;
            }
            if (parameterSizes is not null)
            {
                var expected = ExpectedSizes(kernel);
                if (slots != expected.Count || !parameterSizes.SequenceEqual(expected))
                {
                    throw new KernelCompilationException(kernel.Name,
                        $"the compiled entry point '{kernel.EntryPoint}' takes parameters of [{string.Join(", ", parameterSizes)}] bytes, " +
                        $"but the launch convention passes [{string.Join(", ", expected)}]: the generated CUDA C does not match the kernel's signature");
                }
            }
            parametersChecked = true;
        }

        private static List<int> ExpectedSizes(KernelDefinition kernel)
        {
            var sizes = new List<int>();
            for (int i = 0; i < kernel.IndexRank; i++)
            {
                sizes.Add(sizeof(int));
            }
            foreach (var parameter in kernel.Parameters)
            {
                if (parameter.Kind == KernelParameterKind.View)
                {
                    sizes.AddRange([8, sizeof(int), sizeof(int)]);
                }
                else if (parameter.Kind == KernelParameterKind.Scalar)
                {
                    sizes.Add(ScalarSize(parameter.ElementType));
                }
            }
            if (kernel.DynamicSharedMemory)
            {
                sizes.Add(sizeof(int));
            }
            return sizes;
        }

        // The size of the C type that each supported C# scalar maps to (-1: unsupported, never matches).
        private static int ScalarSize(Type type) =>
            type == typeof(int) || type == typeof(uint) || type == typeof(float) ? 4
            : type == typeof(long) || type == typeof(ulong) || type == typeof(double) ? 8
            : type == typeof(short) || type == typeof(ushort) ? 2
            : type == typeof(byte) || type == typeof(sbyte) || type == typeof(bool) ? 1
            : -1;
    }
}
