using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.ExceptionServices;
using ILGPU.Runtime;

namespace GpuConvNet.Compute.Ilgpu;

/// <summary>
/// One loaded ILGPU twin. A twin without specialised parameters is ILGPU's <see cref="Kernel"/>, launched with its
/// arguments as objects. A twin with <c>SpecializedValue</c> parameters goes through the typed launcher ILGPU builds
/// for it (<c>LoadAutoGroupedKernel&lt;TDelegate&gt;</c> / <c>LoadKernel&lt;TDelegate&gt;</c>), because only that
/// launcher specialises: it compiles one kernel per distinct value, in which the value is a constant.
/// </summary>
internal sealed class IlgpuLauncher : IDisposable
{
    private readonly Kernel? kernel;
    private readonly Delegate? typed;

    private IlgpuLauncher(Kernel? kernel, Delegate? typed)
    {
        this.kernel = kernel;
        this.typed = typed;
    }

    /// <summary>Compiles <paramref name="twin"/> (the twin of <paramref name="definition"/>) on <paramref name="native"/>.</summary>
    public static IlgpuLauncher Load(ILGPU.Runtime.Accelerator native, KernelDefinition definition, MethodInfo twin)
    {
        if (!definition.IsSpecialized)
        {
            return new(definition.IsGrouped ? native.LoadKernel(twin) : native.LoadAutoGroupedKernel(twin), null);
        }
        // Action<AcceleratorStream, index or KernelConfig, the twin's other parameters…>: at most 2 + 14 type arguments.
        var parameters = twin.GetParameters().Select(p => p.ParameterType).ToList();
        var head = definition.IsGrouped ? typeof(ILGPU.KernelConfig) : parameters[0];
        var rest = definition.IsGrouped ? parameters : parameters.Skip(1);
        var launcherType = Expression.GetActionType([typeof(ILGPU.Runtime.AcceleratorStream), head, .. rest]);
        string loader = definition.IsGrouped ? nameof(ILGPU.Runtime.Accelerator.LoadKernel) : nameof(ILGPU.Runtime.Accelerator.LoadAutoGroupedKernel);
        var load = typeof(ILGPU.Runtime.Accelerator).GetMethods().Single(m => m.Name == loader && m.IsGenericMethodDefinition
            && m.GetGenericArguments().Length == 1 && m.GetParameters() is [{ ParameterType: var p }] && p == typeof(MethodInfo));
        return new(null, (Delegate)Unwrapped(() => load.MakeGenericMethod(launcherType).Invoke(native, [twin]))!);
    }

    /// <summary>Launches over <paramref name="shape"/> (an ILGPU index, or a KernelConfig for grouped kernels).</summary>
    public void Launch(ILGPU.Runtime.AcceleratorStream stream, object shape, object[] values)
    {
        if (typed is not null)
        {
            Unwrapped(() => typed.DynamicInvoke([stream, shape, .. values]));
            return;
        }
        switch (shape)
        {
            case ILGPU.KernelConfig config:
                kernel!.Launch(stream, config, values);
                break;
            case ILGPU.Index1D index:
                kernel!.Launch(stream, index, values);
                break;
            case ILGPU.Index2D index:
                kernel!.Launch(stream, index, values);
                break;
            default:
                kernel!.Launch(stream, (ILGPU.Index3D)shape, values);
                break;
        }
    }

    /// <summary>ILGPU's SpecializedValue for ours (the twin's parameter type), anything else as it is.</summary>
    public static object Argument(object value) => value switch
    {
        SpecializedValue<int> v => new ILGPU.Runtime.SpecializedValue<int>(v.Value),
        SpecializedValue<uint> v => new ILGPU.Runtime.SpecializedValue<uint>(v.Value),
        SpecializedValue<long> v => new ILGPU.Runtime.SpecializedValue<long>(v.Value),
        SpecializedValue<float> v => new ILGPU.Runtime.SpecializedValue<float>(v.Value),
        _ => value,
    };

    /// <summary>Frees a loaded Kernel; a typed launcher's kernels belong to ILGPU's accelerator, which frees them.</summary>
    public void Dispose() => kernel?.Dispose();

    // Reflection wraps what ILGPU throws; callers report ILGPU's own exception.
    private static object? Unwrapped(Func<object?> call)
    {
        try
        {
            return call();
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
