using GpuConvNet.Compute.Cpu;
using GpuConvNet.Compute.Cuda;
using GpuConvNet.Compute.Ilgpu;
using GpuConvNet.Compute.Oclgrind;
using GpuConvNet.Compute.OpenCL;

namespace GpuConvNet.Compute;

/// <summary>
/// The engines this library knows, in listing order. Each engine's folder declares its <see cref="Engine"/>; adding one
/// is that folder and one line here. Device ids, <c>best</c>, <c>devices</c>, the <c>--device</c> help and the tests'
/// engine matrix all come from this list.
/// </summary>
public static class Engines
{
    private static readonly Lock Gate = new();
    private static readonly List<Engine> Registered =
    [
        CudaEngine.Instance,
        OpenCLEngine.Instance,
        CpuEngine.Instance,
        IlgpuEngines.Cuda,
        IlgpuEngines.OpenCL,
        IlgpuEngines.Cpu,
        OclgrindEngine.Instance,
    ];

    /// <summary>Every engine, in listing order.</summary>
    public static IReadOnlyList<Engine> All
    {
        get
        {
            lock (Gate)
            {
                return Registered.ToArray();
            }
        }
    }

    /// <summary>
    /// Adds an engine defined outside this library (a plug-in, or a test's), after the built-in ones. Its id must be
    /// new. Register before the first device query: <see cref="Accelerators"/> probes each engine once per process.
    /// </summary>
    public static void Register(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        lock (Gate)
        {
            if (Registered.Any(e => string.Equals(e.Id, engine.Id, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException($"an engine with id '{engine.Id}' is registered already", nameof(engine));
            }
            Registered.Add(engine);
        }
    }

    /// <summary>The engine with id <paramref name="id"/> (case-insensitive), or null.</summary>
    public static Engine? Find(string id) =>
        All.FirstOrDefault(e => string.Equals(e.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The engine with id <paramref name="id"/>, or an error listing the engines there are.</summary>
    public static Engine Get(string id) => Find(id)
        ?? throw new ArgumentException($"no engine '{id}': the engines are {string.Join(", ", All.Select(e => e.Id))}", nameof(id));

    /// <summary>How device ids are written, for help texts: <c>best, cuda[:N], opencl[:N], cpu, …</c>.</summary>
    public static string IdPatterns => string.Join(", ", ["best", .. All.Select(e => e.IdPattern)]);
}
