using System.Collections.Concurrent;
using System.Reflection;
using GpuConvNet.Compute;
using GpuConvNet.Data;

namespace GpuConvNet.Tests.Infrastructure;

/// <summary>
/// One accelerator per engine for the whole test run (kernels compile once per accelerator). Which device of an
/// engine: <c>GPUCONVNET_TEST_&lt;ID&gt;</c> (<c>GPUCONVNET_TEST_OPENCL=opencl:pocl</c>; CI pins PoCL so that another
/// installed platform cannot change what is tested), else the engine's first device that is not a simulator. An engine
/// that is not on this machine makes its tests Inconclusive, except under CI (CI=true) for the engines that
/// <c>TestedEngines.cs</c> marks <see cref="TestedEngineAttribute.RequiredInCi"/>: their absence is a failure.
/// </summary>
public static class Backends
{
    private static readonly ConcurrentDictionary<string, Accelerator> Open = new(StringComparer.Ordinal);

    private static readonly HashSet<string> RequiredInCi = typeof(Backends).Assembly.GetCustomAttributes<TestedEngineAttribute>()
        .Where(e => e.RequiredInCi).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);

    /// <summary>True when running under CI, where missing OpenCL or data is a failure.</summary>
    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The device id the tests use for <paramref name="engineId"/>: its variable's value, or the engine's id.</summary>
    public static string DeviceIdFor(string engineId)
    {
        string variable = "GPUCONVNET_TEST_" + engineId.ToUpperInvariant().Replace('-', '_');
        string? chosen = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(chosen) ? engineId : chosen.Trim();
    }

    /// <summary>The shared accelerator of the engine <paramref name="engineId"/>, or Inconclusive/Fail when there is none.</summary>
    public static Accelerator Get(string engineId)
    {
        if (Open.TryGetValue(engineId, out var accelerator))
        {
            return accelerator;
        }
        DeviceInfo device;
        try
        {
            device = Accelerators.Find(DeviceIdFor(engineId));
        }
        catch (ArgumentException e)
        {
            if (UnderCi && RequiredInCi.Contains(engineId))
            {
                Assert.Fail($"{e.Message} (CI installs what {engineId} needs, so it must be present)");
            }
            Assert.Inconclusive(e.Message);
            throw;
        }
        return Open.GetOrAdd(engineId, _ => Prepare(device.Open()));
    }

    // The sanitizer records each kernel's first launch for the checks that run outside this process (SanitizerSummary).
    private static Accelerator Prepare(Accelerator accelerator)
    {
        if (accelerator is GpuConvNet.Compute.Oclgrind.OclgrindAccelerator oclgrind)
        {
            oclgrind.ReplayDirectory = UninitialisedValueReplay.Directory;
        }
        return accelerator;
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

/// <summary>Points the per-user cache into the run's own folder first; releases the shared accelerators when the run ends.</summary>
[TestClass]
public static class AssemblyHooks
{
    /// <summary>
    /// Runs once before every test: the per-user cache (MNIST downloads, prepared data sets, kernel tuning) is a folder
    /// of this run, so no test — nor a command line it starts — reads or writes the user's own.
    /// </summary>
    [AssemblyInitialize]
    public static void Initialize(TestContext context) => Environment.SetEnvironmentVariable(MnistOptions.CacheVariable, RunCache);

    /// <summary>Runs once after every test: the sanitizer's summary, then the accelerators are released.</summary>
    [AssemblyCleanup]
    public static void Cleanup()
    {
        SanitizerSummary.Write();
        Backends.DisposeAll();
        if (Directory.Exists(RunCache))
        {
            Directory.Delete(RunCache, recursive: true);
        }
    }

    /// <summary>The run's cache folder, the value of <c>GPUCONVNET_CACHE</c> for the whole run.</summary>
    public static string RunCache { get; } = Path.Combine(Path.GetTempPath(), "gpuconvnet-test-cache-" + Environment.ProcessId);
}

/// <summary>
/// Base of every engine-parameterised suite: <c>GpuConvNet.Tests.Generator</c> writes a subclass per engine of
/// <c>TestedEngines.cs</c>, which says which.
/// </summary>
public abstract class AcceleratorTest
{
    /// <summary>The engine this subclass runs on (<c>opencl</c>).</summary>
    protected abstract string EngineId { get; }

    /// <summary>The accelerator of <see cref="EngineId"/>.</summary>
    protected Accelerator Accelerator { get; private set; } = null!;

    /// <summary>Multiply-adds above which a case is left to the compiled engines on a simulator (see below).</summary>
    public const long SimulatorBudget = 100_000;

    /// <summary>Opens (or reuses) the engine's accelerator before each test.</summary>
    [TestInitialize]
    public void OpenBackend() => Accelerator = Backends.Get(EngineId);

    /// <summary>
    /// On a simulator (Oclgrind: every work-item interpreted, about a second per 500 k multiply-adds with race
    /// detection), a case of more than <see cref="SimulatorBudget"/> multiply-adds is Inconclusive: the suite's small
    /// cases hit the same tails, tiles and barrier phases in seconds, and the compiled engines run the large ones.
    /// </summary>
    protected void LeaveLargeCasesToCompiledEngines(long multiplyAdds)
    {
        if (Accelerator.Device.IsSimulator && multiplyAdds > SimulatorBudget)
        {
            Assert.Inconclusive($"{multiplyAdds:N0} multiply-adds: a large case, left to the compiled engines on a simulator (its small cases cover the same code paths)");
        }
    }
}
