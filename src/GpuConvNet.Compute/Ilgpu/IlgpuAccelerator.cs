using System.Collections.Concurrent;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace GpuConvNet.Compute.Ilgpu;

/// <summary>
/// A device through ILGPU: kernels run as their generated ILGPU twins, which ILGPU compiles at first launch (PTX for
/// CUDA, OpenCL C 2.0, or IL that its CPU accelerator runs with one OS thread per lane) and keeps until disposal.
/// Arguments are checked by <see cref="Accelerator"/> before ILGPU sees them. On ILGPU's CPU accelerator every launch
/// is waited for, so that an out-of-bounds access is reported by the launch that made it.
/// </summary>
public sealed class IlgpuAccelerator : Accelerator
{
    private static readonly ConcurrentDictionary<Type, object> EmptyViews = new();

    private readonly ILGPU.Context context;
    private readonly Dictionary<KernelDefinition, IlgpuLauncher> kernels = [];

    // ILGPU's typed launcher keeps a kernel per specialisation itself; this bounds them as the other engines do.
    private readonly CompiledKernels<IlgpuLauncher> specializations = new();
    private readonly Lock loadGate = new();
    private int launchesRunning;

    internal IlgpuAccelerator(DeviceInfo device, int index) : base(device)
    {
        context = IlgpuBackend.CreateContext(device.Engine);
        try
        {
            Native = device.Engine == IlgpuEngines.Cuda ? context.GetCudaDevice(index).CreateAccelerator(context)
                : device.Engine == IlgpuEngines.OpenCL ? context.GetCLDevice(index).CreateAccelerator(context)
                : context.GetCPUDevice(0).CreateAccelerator(context);
        }
        catch (Exception e) when (e is AcceleratorException or InvalidOperationException or NotSupportedException)
        {
            context.Dispose();
            throw new ComputeException($"ILGPU could not open {device.Id} ({device.Name}): {e.Message}", e);
        }
    }

    /// <summary>ILGPU's accelerator, for code that wants ILGPU's own API (its algorithms, its streams).</summary>
    public ILGPU.Runtime.Accelerator Native { get; }

    internal ILGPU.Runtime.AcceleratorStream Stream => Native.DefaultStream;

    /// <inheritdoc />
    public override void Synchronize()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        try
        {
            Native.Synchronize();
        }
        catch (Exception e) when (e is not ComputeException)
        {
            throw new ComputeException($"ILGPU: waiting for the work queued on {Name} failed: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (Volatile.Read(ref launchesRunning) > 0)
        {
            // A launch is still running on another thread (a test abandoned at its timeout, a hung kernel): freeing
            // ILGPU's memory and threads under it would crash the process. Leave them to the process's end.
            return;
        }
        lock (loadGate)
        {
            foreach (var kernel in kernels.Values)
            {
                kernel.Dispose();
            }
            kernels.Clear();
            specializations.Clear();
        }
        Native.Dispose();
        context.Dispose();
    }

    private protected override MemoryBuffer<T> AllocateCore<T>(int length) => new IlgpuMemoryBuffer<T>(this, length);

    private protected override void LaunchCore(KernelDefinition kernel, Index3D extent, KernelConfig config, object?[] args)
    {
        var compiled = Load(kernel, args);
        var values = new object[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            values[i] = args[i] switch
            {
                IArrayView { Buffer: IIlgpuBuffer buffer } view => buffer.TwinView(view.Offset, view.Length),
                IArrayView view => EmptyView(view.ElementType),
                var scalar => IlgpuLauncher.Argument(scalar!),
            };
        }
        if (kernel.IsGrouped)
        {
            CheckGroup(kernel, config);
        }
        void Launch()
        {
            var grid = config.GridDim;
            var group = config.GroupDim;
            object shape = kernel.IndexRank switch
            {
                0 => new ILGPU.KernelConfig(new ILGPU.Index3D(grid.X, grid.Y, grid.Z), new ILGPU.Index3D(group.X, group.Y, group.Z), DynamicSharedMemory(config)),
                1 => new ILGPU.Index1D(extent.X),
                2 => new ILGPU.Index2D(extent.X, extent.Y),
                _ => new ILGPU.Index3D(extent.X, extent.Y, extent.Z),
            };
            compiled.Launch(Stream, shape, values);
        }
        Interlocked.Increment(ref launchesRunning);
        try
        {
            if (Device.Engine != IlgpuEngines.Cpu)
            {
                Launch();
                return;
            }
            string? fault = IlgpuCpuFaults.Capture(() =>
            {
                Launch();
                Native.Synchronize();
            });
            if (fault is not null)
            {
                throw new KernelExecutionException($"kernel {kernel.Name} failed on {Name}: ILGPU reported '{fault}'; the launch's results are invalid");
            }
        }
        catch (Exception e) when (e is not ComputeException and not ArgumentException)
        {
            throw new ComputeException($"kernel {kernel.Name}: ILGPU could not launch it on {Name}: {e.Message}", e);
        }
        finally
        {
            Interlocked.Decrement(ref launchesRunning);
        }
    }

    /// <summary>ILGPU's form of the launch's dynamic shared memory (its twin reads it with ILGPU's GetDynamic).</summary>
    private static ILGPU.SharedMemoryConfig DynamicSharedMemory(KernelConfig config) =>
        config.SharedMemoryConfig.UsesDynamicSharedMemory
            ? new ILGPU.SharedMemoryConfig(config.SharedMemoryConfig.NumElements, config.SharedMemoryConfig.ElementSize)
            : ILGPU.SharedMemoryConfig.Empty;

    private void CheckGroup(KernelDefinition kernel, KernelConfig config)
    {
        var max = Native.MaxGroupSize;
        var group = config.GroupDim;
        if (group.X > max.X || group.Y > max.Y || group.Z > max.Z)
        {
            throw new ArgumentOutOfRangeException(nameof(config),
                $"kernel {kernel.Name}: a group of {group.X}×{group.Y}×{group.Z} lanes exceeds {Name}'s limit of {max.X}×{max.Y}×{max.Z}");
        }
        var grid = Native.MaxGridSize;
        if (config.GridDim.X > grid.X || config.GridDim.Y > grid.Y || config.GridDim.Z > grid.Z)
        {
            throw new ArgumentOutOfRangeException(nameof(config),
                $"kernel {kernel.Name}: {config.GridDim.X}×{config.GridDim.Y}×{config.GridDim.Z} groups exceed {Name}'s grid limit of {grid.X}×{grid.Y}×{grid.Z}");
        }
    }

    private IlgpuLauncher Load(KernelDefinition kernel, object?[] args)
    {
        lock (loadGate)
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            if (kernels.TryGetValue(kernel, out var loaded))
            {
                return kernel.IsSpecialized ? specializations.GetOrAdd(kernel, "", args, loaded, static launcher => launcher) : loaded;
            }
            var twin = kernel.IlgpuKernel ?? throw new KernelCompilationException(kernel.Name,
                "it has no ILGPU twin: its assembly was built without a reference to ILGPU, so the generator wrote none");
            try
            {
                loaded = IlgpuLauncher.Load(Native, kernel, twin);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new KernelCompilationException(kernel.Name, $"ILGPU could not compile its twin {twin.Name} for {Name}: {e.Message}");
            }
            kernels.Add(kernel, loaded);
            return kernel.IsSpecialized ? specializations.GetOrAdd(kernel, "", args, loaded, static launcher => launcher) : loaded;
        }
    }

    /// <summary>ILGPU's empty view of <paramref name="element"/>: what an unbound default view passes (length 0).</summary>
    private static object EmptyView(Type element) => EmptyViews.GetOrAdd(element, static type =>
        typeof(ILGPU.ArrayView<>).MakeGenericType(type).GetField("Empty", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!);
}
