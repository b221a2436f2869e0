using BenchmarkDotNet.Attributes;
using GpuConvNet.Compute;

namespace GpuConvNet.Benchmarks.Infrastructure;

/// <summary>
/// The plumbing every device suite shares: a <see cref="Device"/> parameter over <see cref="DeviceParameter.All"/>, the
/// accelerator opened in <see cref="Setup"/> before the suite's <see cref="Prepare"/>, and everything allocated through
/// <see cref="Allocate{T}(T[])"/>, <see cref="Allocate{T}(int)"/> or <see cref="Own{T}(T)"/> freed by
/// <see cref="Cleanup"/> in reverse order, the accelerator last.
/// </summary>
public abstract class DeviceBenchmark : IWorkload
{
    // What Cleanup disposes, in the order it was allocated.
    private readonly List<IDisposable> owned = [];

    /// <summary>Device id.</summary>
    [ParamsSource(nameof(Devices))]
    public string Device { get; set; } = "cpu";

    /// <summary>Devices found here.</summary>
    public static IEnumerable<string> Devices => DeviceParameter.All();

    /// <inheritdoc />
    public abstract double Flops { get; }

    /// <inheritdoc />
    public abstract double Bytes { get; }

    // Declared here so that a suite's override is what IWorkload reads (the interface's default would not be replaced).
    /// <inheritdoc />
    public virtual double Images => 0;

    /// <summary>The accelerator for <see cref="Device"/>, open between <see cref="Setup"/> and <see cref="Cleanup"/>.</summary>
    protected Accelerator Accelerator { get; private set; } = null!;

    /// <summary>Opens the accelerator, then allocates, runs once and verifies through <see cref="Prepare"/>.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Accelerator = Accelerators.Create(Device);
        Prepare();
    }

    /// <summary>Frees what the suite allocated or handed over, newest first, then the accelerator.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        // Also after a setup that failed half-way (--verify cleans up every case): only what exists is freed.
        try
        {
            for (int i = owned.Count - 1; i >= 0; i--)
            {
                owned[i].Dispose();
            }
        }
        finally
        {
            owned.Clear();
            Accelerator?.Dispose();
            Accelerator = null!;
        }
    }

    /// <summary>
    /// The suite's setup, with <see cref="Accelerator"/> open: allocates its buffers, runs the timed work once and checks
    /// it against its reference (throwing, so that a wrong kernel gets no number).
    /// </summary>
    protected abstract void Prepare();

    /// <summary>A buffer holding a copy of <paramref name="host"/>, freed by <see cref="Cleanup"/>.</summary>
    protected MemoryBuffer<T> Allocate<T>(T[] host) where T : unmanaged => Own(Accelerator.Allocate(host));

    /// <summary>A buffer of <paramref name="length"/> elements (contents undefined), freed by <see cref="Cleanup"/>.</summary>
    protected MemoryBuffer<T> Allocate<T>(int length) where T : unmanaged => Own(Accelerator.Allocate<T>(length));

    /// <summary>Hands <paramref name="disposable"/> (a workspace, a model, …) to <see cref="Cleanup"/>; returns it.</summary>
    protected T Own<T>(T disposable) where T : IDisposable
    {
        owned.Add(disposable);
        return disposable;
    }
}
