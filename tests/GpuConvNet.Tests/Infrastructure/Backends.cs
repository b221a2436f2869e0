using System.Collections.Concurrent;
using GpuConvNet.Compute;
using GpuConvNet.Compute.Cpu;

namespace GpuConvNet.Tests.Infrastructure;

/// <summary>
/// One accelerator per backend for the whole test run (kernels compile once per accelerator). A backend that is
/// not on this machine makes its tests Inconclusive, except under CI (CI=true) where a missing OpenCL platform or ILGPU
/// CPU accelerator is a failure: CI installs PoCL and ILGPU is a package, so their absence means the run tests less
/// than it claims.
/// </summary>
public static class Backends
{
    private static readonly ConcurrentDictionary<AcceleratorKind, Accelerator> Open = new();

    /// <summary>True when running under CI, where missing OpenCL or data is a failure.</summary>
    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The shared accelerator of <paramref name="kind"/>, or Inconclusive/Fail when there is none.</summary>
    public static Accelerator Get(AcceleratorKind kind)
    {
        if (Open.TryGetValue(kind, out var accelerator))
        {
            return accelerator;
        }
        if (kind == AcceleratorKind.Cpu)
        {
            return Open.GetOrAdd(kind, _ => new CpuAccelerator());
        }
        var probe = Accelerators.Backends.First(b => b.Kind == kind);
        if (probe.Devices.Count == 0)
        {
            string message = $"no {kind} device here: {probe.Unavailable}";
            if (kind is AcceleratorKind.OpenCL or AcceleratorKind.IlgpuCpu && UnderCi)
            {
                Assert.Fail(message + (kind == AcceleratorKind.OpenCL
                    ? " (CI installs PoCL, so OpenCL must be present)"
                    : " (ILGPU is a package reference: its CPU accelerator must always be present)"));
            }
            Assert.Inconclusive(message);
        }
        return Open.GetOrAdd(kind, _ => probe.Devices[0].Open());
    }

    /// <summary>Disposes every accelerator opened by the tests.</summary>
    public static void DisposeAll()
    {
        foreach (var accelerator in Open.Values)
        {
            accelerator.Dispose();
        }
        Open.Clear();
    }
}

/// <summary>Releases the shared accelerators when the run ends.</summary>
[TestClass]
public static class AssemblyHooks
{
    /// <summary>Runs once after every test.</summary>
    [AssemblyCleanup]
    public static void Cleanup() => Backends.DisposeAll();
}

/// <summary>Base of every backend-parameterised suite: subclasses say which backend.</summary>
public abstract class AcceleratorTest
{
    /// <summary>The backend this subclass runs on.</summary>
    protected abstract AcceleratorKind Kind { get; }

    /// <summary>The accelerator of <see cref="Kind"/>.</summary>
    protected Accelerator Accelerator { get; private set; } = null!;

    /// <summary>Opens (or reuses) the backend before each test.</summary>
    [TestInitialize]
    public void OpenBackend() => Accelerator = Backends.Get(Kind);
}
