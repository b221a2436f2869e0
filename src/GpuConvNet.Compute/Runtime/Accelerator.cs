namespace GpuConvNet.Compute;

/// <summary>
/// A device that runs kernels: owns buffers, compiles each kernel once (cached), and launches kernels in order on
/// one queue. GPU launches return at once; <see cref="Synchronize"/> waits for them. Not thread-safe: use one
/// accelerator from one thread at a time (as with a CUDA stream or an OpenCL queue).
/// </summary>
public abstract partial class Accelerator : IDisposable
{
    /// <summary>Creates the accelerator for <paramref name="device"/>.</summary>
    protected Accelerator(DeviceInfo device) => Device = device;

    /// <summary>The device this accelerator runs on.</summary>
    public DeviceInfo Device { get; }

    /// <summary>The device's name.</summary>
    public string Name => Device.Name;

    /// <summary>The engine that runs this accelerator's kernels.</summary>
    public Engine Engine => Device.Engine;

    /// <summary>When set, every launch is timed (and synchronised) into it; null (the default) costs nothing.</summary>
    public KernelProfiler? Profiler { get; set; }

    /// <summary>True once disposed.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Allocates an uninitialised buffer of <paramref name="length"/> elements.</summary>
    public MemoryBuffer<T> Allocate<T>(int length) where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        long bytes = (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (bytes > Device.MaxAllocationBytes)
        {
            throw new DeviceOutOfMemoryException("Allocate", "too large", 0,
                $"{bytes:N0} bytes requested; {Name} allows at most {Device.MaxAllocationBytes:N0} in one allocation");
        }
        return AllocateCore<T>(length);
    }

    /// <summary>Allocates a buffer holding a copy of <paramref name="data"/>.</summary>
    public MemoryBuffer<T> Allocate<T>(ReadOnlySpan<T> data) where T : unmanaged
    {
        var buffer = Allocate<T>(data.Length);
        buffer.CopyFromHost(data);
        return buffer;
    }

    /// <summary>Allocates a buffer holding a copy of <paramref name="data"/>.</summary>
    public MemoryBuffer<T> Allocate<T>(T[] data) where T : unmanaged => Allocate<T>(data.AsSpan());

    /// <summary>Waits until every launch and copy queued so far has finished.</summary>
    public abstract void Synchronize();

    /// <summary>Frees the accelerator's native resources. Buffers should be disposed first.</summary>
    public void Dispose()
    {
        if (IsDisposed)
        {
            return;
        }
        IsDisposed = true;
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases native resources.</summary>
    protected abstract void Dispose(bool disposing);

    /// <summary>Allocates backend memory.</summary>
    private protected abstract MemoryBuffer<T> AllocateCore<T>(int length) where T : unmanaged;

    /// <summary>
    /// Runs (or enqueues) a kernel whose arguments have been checked. For an auto-grouped kernel
    /// <paramref name="extent"/> holds the extent (unused dimensions 1); for a grouped one, <paramref name="config"/>.
    /// </summary>
    private protected abstract void LaunchCore(KernelDefinition kernel, Index3D extent, KernelConfig config, object?[] args);

    private void LaunchIndexed(Delegate kernel, IKernelIndex extent, object?[] args)
    {
        args = LowerViews(args);
        var definition = Prepare(kernel, args, grouped: false);
        var extent3 = extent.ToIndex3D(1);
        if (extent3.X < 0 || extent3.Y < 0 || extent3.Z < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(extent), $"kernel {definition.Name}: extent {extent} is negative");
        }
        if (extent3.Size > 0)
        {
            Run(definition, extent3, default, args);
        }
    }

    private void LaunchGrouped(Delegate kernel, KernelConfig config, object?[] args)
    {
        args = LowerViews(args);
        var definition = Prepare(kernel, args, grouped: true);
        var grid = config.GridDim;
        var group = config.GroupDim;
        if (group.X < 1 || group.Y < 1 || group.Z < 1 || grid.X < 0 || grid.Y < 0 || grid.Z < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(config),
                $"kernel {definition.Name}: grid {grid} and group {group} must be positive");
        }
        if (config.GroupSize > Device.MaxGroupSize)
        {
            throw new ArgumentOutOfRangeException(nameof(config),
                $"kernel {definition.Name}: a group of {config.GroupSize} lanes exceeds {Name}'s limit of {Device.MaxGroupSize}");
        }
        CheckCollectives(definition, config);
        CheckSharedMemory(definition, config);
        if (grid.Size > 0)
        {
            Run(definition, default, config, args);
        }
    }

    private void Run(KernelDefinition definition, Index3D extent, KernelConfig config, object?[] args)
    {
        if (Profiler is null)
        {
            LaunchCore(definition, extent, config, args);
        }
        else
        {
            Profiler.Measure(this, definition, () => LaunchCore(definition, extent, config, args));
        }
    }

    private KernelDefinition Prepare(Delegate kernel, object?[] args, bool grouped)
    {
        var definition = Load(kernel, grouped);
        CheckArgumentTypes(definition, args);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is not IArrayView view)
            {
                continue;
            }
            var parameter = definition.Parameters[i].Name;
            if (view.Buffer is null)
            {
                if (view.Length != 0)
                {
                    throw new ArgumentException($"kernel {definition.Name}: argument '{parameter}' is a shared-memory view, which cannot be passed to a launch");
                }
                continue;
            }
            if (view.Buffer.Accelerator != this)
            {
                throw new ArgumentException(
                    $"kernel {definition.Name}: argument '{parameter}' is a view of a buffer on {view.Buffer.Accelerator.Device.Id} ({view.Buffer.Accelerator.Name}), " +
                    $"but the launch is on {Device.Id} ({Name}); copy it through the host first");
            }
            if (view.Buffer.IsDisposed)
            {
                throw new ObjectDisposedException(parameter, $"kernel {definition.Name}: argument '{parameter}' is a view of a disposed buffer");
            }
        }
        return definition;
    }

    /// <summary>
    /// Every engine takes a 2-D or 3-D view as its base view, its extent and the strides of its dimensions that are not
    /// dense (<see cref="IStridedView.Lowered"/>), as the generator lowers its parameter (the CPU body rebuilds the view;
    /// the device code indexes the base).
    /// </summary>
    private static object?[] LowerViews(object?[] args)
    {
        if (!args.Any(a => a is IStridedView))
        {
            return args;
        }
        return [.. args.SelectMany(a => a is IStridedView view ? view.Lowered() : [a])];
    }

    /// <summary>The definition of <paramref name="kernel"/>, checked to be launchable here the way it is asked to be.</summary>
    private KernelDefinition Load(Delegate kernel, bool grouped)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var definition = KernelRegistry.Get(kernel);
        if (definition.IsGrouped != grouped)
        {
            throw new ArgumentException(grouped
                ? $"kernel {definition.Name} takes an index: launch it with an extent, not a KernelConfig (ILGPU: LoadAutoGroupedStreamKernel)"
                : $"kernel {definition.Name} is explicitly grouped: launch it with a KernelConfig, not an extent (ILGPU: LoadStreamKernel)");
        }
        return definition;
    }

    /// <summary>
    /// The one argument contract of every engine: as many arguments as the kernel has parameters after its index; a
    /// view where it takes a view, of the same element type; a scalar of exactly the parameter's type (int, uint,
    /// long or float: what the generator accepts, GCN0002). Engines convert only what passed this check.
    /// </summary>
    private static void CheckArgumentTypes(KernelDefinition definition, object?[] args)
    {
        if (args.Length != definition.Parameters.Count)
        {
            throw new ArgumentException($"kernel {definition.Name} takes {definition.Parameters.Count} arguments after its index, not {args.Length}");
        }
        for (int i = 0; i < args.Length; i++)
        {
            var parameter = definition.Parameters[i];
            bool fits = parameter.Kind == KernelParameterKind.View
                ? args[i] is IArrayView view && view.ElementType == parameter.ElementType
                : args[i]?.GetType() == parameter.ArgumentType;
            if (!fits)
            {
                // Formatted only here: this check runs on every argument of every launch.
                string given = args[i] switch
                {
                    null => "null",
                    IArrayView argument => $"an ArrayView<{argument.ElementType.Name}>",
                    var value => $"a {KernelParameter.Describe(value.GetType())}",
                };
                string article = parameter.Kind == KernelParameterKind.View ? "an" : "a";
                string wanted = $"{article} {parameter.ArgumentTypeName}";
                throw new ArgumentException($"kernel {definition.Name}: argument '{parameter.Name}' must be {wanted}, not {given}");
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Device.Id} {Name}";
}
