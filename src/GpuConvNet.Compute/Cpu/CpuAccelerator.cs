using System.ComponentModel;

namespace GpuConvNet.Compute.Cpu;

/// <summary>
/// Runs kernels' C# on the host: auto-grouped kernels as a parallel loop over the extent; grouped kernels one
/// group per worker, with the group's lanes stepping together from barrier to barrier. Every view access is
/// bounds-checked, and a fault names the kernel, the index or group and lane. Launches run to completion before
/// <c>Launch</c> returns, so <see cref="Accelerator.Synchronize"/> has nothing to wait for.
/// </summary>
public sealed class CpuAccelerator : Accelerator
{
    private readonly ParallelOptions parallel;

    /// <summary>Opens the CPU accelerator using <paramref name="threads"/> worker threads (default: every core).</summary>
    public CpuAccelerator(int threads = 0) : base(Describe())
    {
        parallel = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };
    }

    /// <summary>The CPU accelerator's device entry.</summary>
    public static DeviceInfo Describe() => new()
    {
        Name = $"CPU accelerator ({CpuName()})",
        Engine = CpuEngine.Instance,
        Id = CpuEngine.Instance.Id,
        Type = DeviceType.Cpu,
        Index = 0,
        Platform = $".NET {Environment.Version}, {Environment.ProcessorCount} threads",
        MemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        MaxGroupSize = 1024,
        SharedMemoryPerGroup = 64 * 1024,
        ComputeUnits = Environment.ProcessorCount,
        MaxAllocationBytes = Array.MaxLength,
        Open = () => new CpuAccelerator(),
    };

    /// <inheritdoc />
    public override void Synchronize() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
    }

    private protected override MemoryBuffer<T> AllocateCore<T>(int length) => new CpuMemoryBuffer<T>(this, length);

    private protected override void LaunchCore(KernelDefinition kernel, Index3D extent, KernelConfig config, object?[] args)
    {
        try
        {
            if (kernel.IsGrouped)
            {
                RunGroups(kernel, config, args);
            }
            else
            {
                RunExtent(kernel, extent, args);
            }
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0 && e.InnerExceptions[0] is KernelExecutionException first)
        {
            throw first;
        }
    }

    private void RunExtent(KernelDefinition kernel, Index3D extent, object?[] args)
    {
        var body = kernel.CpuIndexBody ?? throw new InvalidOperationException($"kernel {kernel.Name} has no CPU body");
        long total = extent.Size;
        // Enough chunks to balance the cores, each long enough to amortise the delegate call.
        long chunk = Math.Max(4096, total / (parallel.MaxDegreeOfParallelism * 8L));
        long chunks = (total + chunk - 1) / chunk;
        if (chunks == 1)
        {
            body(args, extent, 0, total);
            return;
        }
        Parallel.For(0L, chunks, parallel, c => body(args, extent, c * chunk, Math.Min(total, (c + 1) * chunk)));
    }

    private void RunGroups(KernelDefinition kernel, KernelConfig config, object?[] args)
    {
        var body = kernel.CpuLaneBody ?? throw new InvalidOperationException($"kernel {kernel.Name} has no CPU lane body");
        long groups = config.GridDim.Size;
        Parallel.For(0L, groups, parallel,
            () => new CpuGroupRunner(kernel, body, config),
            (g, _, runner) =>
            {
                runner.Run(config.GridDim.Delinearize(g), args);
                return runner;
            },
            _ => { });
    }

    /// <summary>Wraps a fault of an auto-grouped kernel at <paramref name="index"/> (called by generated code).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static KernelExecutionException FaultAt(string kernel, Index3D index, Exception fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return fault as KernelExecutionException ??
            new KernelExecutionException($"kernel {kernel} failed at index ({index.X}, {index.Y}, {index.Z}): {fault.Message}", fault);
    }

    private static string CpuName()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null)
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }
}
