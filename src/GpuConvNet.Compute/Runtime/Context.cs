using System.Collections;

namespace GpuConvNet.Compute;

/// <summary>
/// ILGPU's <c>Context</c> over this library's engines: the devices of the engines a program asks for, a preferred one,
/// and the accelerators opened through it (disposed with it, as ILGPU's are). <see cref="Accelerators"/> is the same
/// without the ceremony.
/// </summary>
public sealed class Context : IDisposable, IEnumerable<DeviceInfo>
{
    private readonly List<Accelerator> opened = [];
    private readonly Lock gate = new();
    private bool disposed;

    private Context(IReadOnlyList<DeviceInfo> devices) => Devices = devices;

    /// <summary>The devices of the engines this context was created with, in <c>devices</c>' order.</summary>
    public IReadOnlyList<DeviceInfo> Devices { get; }

    /// <summary>A context with the <see cref="ContextBuilder.Default"/> engines: CUDA, OpenCL and the CPU accelerator.</summary>
    public static Context CreateDefault() => Create(builder => builder.Default());

    /// <summary>A context with the engines <paramref name="configure"/> asks for (<c>builder =&gt; builder.Cuda().CPU()</c>).</summary>
    public static Context Create(Action<ContextBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new ContextBuilder();
        configure(builder);
        return new Context(Accelerators.Probes.Where(p => builder.Includes(p.Engine)).SelectMany(p => p.Devices).ToArray());
    }

    /// <summary>
    /// ILGPU's choice: with <paramref name="preferCPU"/>, the CPU accelerator (else the first CPU device); otherwise the
    /// best device as <see cref="Accelerators.BestDevice"/> ranks them (a GPU first).
    /// </summary>
    public DeviceInfo GetPreferredDevice(bool preferCPU)
    {
        var device = preferCPU
            ? Devices.FirstOrDefault(d => d.Engine.Id == "cpu") ?? Devices.FirstOrDefault(d => d.Type == DeviceType.Cpu && !d.IsSimulator)
            : Accelerators.BestOf(Devices);
        return device ?? Devices.FirstOrDefault()
            ?? throw new InvalidOperationException("this context has no devices: create it with engines that exist here (Context.CreateDefault())");
    }

    /// <summary>ILGPU's name: the <paramref name="index"/>-th device of the CPU accelerator.</summary>
    public DeviceInfo GetCPUDevice(int index) => Nth("cpu", index);

    /// <summary>ILGPU's name: the <paramref name="index"/>-th CUDA device.</summary>
    public DeviceInfo GetCudaDevice(int index) => Nth("cuda", index);

    /// <summary>ILGPU's name: the <paramref name="index"/>-th OpenCL device.</summary>
    public DeviceInfo GetCLDevice(int index) => Nth("opencl", index);

    /// <summary>ILGPU's name: opens the CPU accelerator.</summary>
    public Accelerator CreateCPUAccelerator(int index) => GetCPUDevice(index).CreateAccelerator(this);

    /// <inheritdoc />
    public IEnumerator<DeviceInfo> GetEnumerator() => Devices.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Disposes every accelerator opened through this context.</summary>
    public void Dispose()
    {
        Accelerator[] toDispose;
        lock (gate)
        {
            disposed = true;
            toDispose = [.. opened];
            opened.Clear();
        }
        foreach (var accelerator in toDispose)
        {
            accelerator.Dispose();
        }
    }

    internal Accelerator Own(Accelerator accelerator)
    {
        lock (gate)
        {
            if (!disposed)
            {
                opened.Add(accelerator);
                return accelerator;
            }
        }
        accelerator.Dispose();
        throw new ObjectDisposedException(nameof(Context), "the context is disposed: create the accelerator through a live one");
    }

    private DeviceInfo Nth(string engine, int index)
    {
        var devices = Devices.Where(d => d.Engine.Id == engine).ToList();
        if (index < 0 || index >= devices.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index),
                $"this context has {devices.Count} {engine} device{(devices.Count == 1 ? "" : "s")}; there is no number {index}");
        }
        return devices[index];
    }
}

/// <summary>ILGPU's context builder: which engines a <see cref="Context"/> lists.</summary>
public sealed class ContextBuilder
{
    private readonly HashSet<string> engines = new(StringComparer.OrdinalIgnoreCase);
    private bool all;

    internal ContextBuilder() { }

    /// <summary>Our CUDA, OpenCL and CPU engines (ILGPU's default: its CUDA, OpenCL and CPU accelerators).</summary>
    public ContextBuilder Default() => Cuda().OpenCL().CPU();

    /// <summary>The CPU accelerator (C# kernels, every access checked).</summary>
    public ContextBuilder CPU() => With("cpu");

    /// <summary>CUDA (NVRTC and the driver API).</summary>
    public ContextBuilder Cuda() => With("cuda");

    /// <summary>OpenCL 1.2.</summary>
    public ContextBuilder OpenCL() => With("opencl");

    /// <summary>Every engine, ILGPU's own and the simulators included.</summary>
    public ContextBuilder AllAccelerators()
    {
        all = true;
        return this;
    }

    /// <summary>
    /// ILGPU.Algorithms' switch. The kernel language's group operations need no switch here, so this only lets ILGPU
    /// host code that calls it compile unchanged.
    /// </summary>
    public ContextBuilder EnableAlgorithms() => this;

    internal bool Includes(Engine engine) => all || engines.Contains(engine.Id);

    private ContextBuilder With(string engine)
    {
        engines.Add(engine);
        return this;
    }
}
