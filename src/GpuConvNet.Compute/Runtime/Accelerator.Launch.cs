// Typed launch overloads, one per parameter count (C# has no variadic generics).
// Written by dev/write-launch-overloads.py: edit the script, not this file.
namespace GpuConvNet.Compute;

public abstract partial class Accelerator
{
    /// <summary>Launches an auto-grouped kernel over <paramref name="extent"/> (one lane per element).</summary>
    public void Launch<TIndex>(Action<TIndex> kernel, TIndex extent) where TIndex : struct, IKernelIndex =>
        LaunchIndexed(kernel, extent, []);

    /// <summary>Launches an auto-grouped kernel over <paramref name="extent"/> (one lane per element).</summary>
    public void Launch<TIndex, T1>(Action<TIndex, T1> kernel, TIndex extent, T1 a1) where TIndex : struct, IKernelIndex =>
        LaunchIndexed(kernel, extent, [a1]);

    /// <summary>Launches an explicitly grouped kernel with <paramref name="config"/>.</summary>
    public void Launch<T1>(Action<T1> kernel, KernelConfig config, T1 a1) =>
        LaunchGrouped(kernel, config, [a1]);

    /// <summary>Launches an auto-grouped kernel over <paramref name="extent"/> (one lane per element).</summary>
    public void Launch<TIndex, T1, T2>(Action<TIndex, T1, T2> kernel, TIndex extent, T1 a1, T2 a2) where TIndex : struct, IKernelIndex =>
        LaunchIndexed(kernel, extent, [a1, a2]);

    /// <summary>Launches an explicitly grouped kernel with <paramref name="config"/>.</summary>
    public void Launch<T1, T2>(Action<T1, T2> kernel, KernelConfig config, T1 a1, T2 a2) =>
        LaunchGrouped(kernel, config, [a1, a2]);

    /// <summary>Launches an auto-grouped kernel over <paramref name="extent"/> (one lane per element).</summary>
    public void Launch<TIndex, T1, T2, T3>(Action<TIndex, T1, T2, T3> kernel, TIndex extent, T1 a1, T2 a2, T3 a3) where TIndex : struct, IKernelIndex =>
        LaunchIndexed(kernel, extent, [a1, a2, a3]);

    /// <summary>Launches an explicitly grouped kernel with <paramref name="config"/>.</summary>
    public void Launch<T1, T2, T3>(Action<T1, T2, T3> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3) =>
        LaunchGrouped(kernel, config, [a1, a2, a3]);

    /// <summary>Launches an auto-grouped kernel over <paramref name="extent"/> (one lane per element).</summary>
    public void Launch<TIndex, T1, T2, T3, T4>(Action<TIndex, T1, T2, T3, T4> kernel, TIndex extent, T1 a1, T2 a2, T3 a3, T4 a4) where TIndex : struct, IKernelIndex =>
        LaunchIndexed(kernel, extent, [a1, a2, a3, a4]);

    /// <summary>Launches an explicitly grouped kernel with <paramref name="config"/>.</summary>
    public void Launch<T1, T2, T3, T4>(Action<T1, T2, T3, T4> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4) =>
        LaunchGrouped(kernel, config, [a1, a2, a3, a4]);

    /// <summary>Launches an auto-grouped kernel over <paramref name="extent"/> (one lane per element).</summary>
    public void Launch<TIndex, T1, T2, T3, T4, T5>(Action<TIndex, T1, T2, T3, T4, T5> kernel, TIndex extent, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5) where TIndex : struct, IKernelIndex =>
        LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5]);

    /// <summary>Launches an explicitly grouped kernel with <paramref name="config"/>.</summary>
    public void Launch<T1, T2, T3, T4, T5>(Action<T1, T2, T3, T4, T5> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5) =>
        LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5]);

    /// <summary>Launches an auto-grouped kernel over <paramref name="extent"/> (one lane per element).</summary>
    public void Launch<TIndex, T1, T2, T3, T4, T5, T6>(Action<TIndex, T1, T2, T3, T4, T5, T6> kernel, TIndex extent, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6) where TIndex : struct, IKernelIndex =>
        LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6]);

    /// <summary>Launches an explicitly grouped kernel with <paramref name="config"/>.</summary>
    public void Launch<T1, T2, T3, T4, T5, T6>(Action<T1, T2, T3, T4, T5, T6> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6) =>
        LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6]);

    /// <summary>Launches an auto-grouped kernel over <paramref name="extent"/> (one lane per element).</summary>
    public void Launch<TIndex, T1, T2, T3, T4, T5, T6, T7>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7> kernel, TIndex extent, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7) where TIndex : struct, IKernelIndex =>
        LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7]);

    /// <summary>Launches an explicitly grouped kernel with <paramref name="config"/>.</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7>(Action<T1, T2, T3, T4, T5, T6, T7> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7) =>
        LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7]);

    /// <summary>Launches an auto-grouped kernel over <paramref name="extent"/> (one lane per element).</summary>
    public void Launch<TIndex, T1, T2, T3, T4, T5, T6, T7, T8>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8> kernel, TIndex extent, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8) where TIndex : struct, IKernelIndex =>
        LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8]);

    /// <summary>Launches an explicitly grouped kernel with <paramref name="config"/>.</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8>(Action<T1, T2, T3, T4, T5, T6, T7, T8> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8) =>
        LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8]);

    /// <summary>Launches an auto-grouped kernel over <paramref name="extent"/> (one lane per element).</summary>
    public void Launch<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9> kernel, TIndex extent, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9) where TIndex : struct, IKernelIndex =>
        LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8, a9]);

    /// <summary>Launches an explicitly grouped kernel with <paramref name="config"/>.</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9) =>
        LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8, a9]);

    /// <summary>Launches an auto-grouped kernel over <paramref name="extent"/> (one lane per element).</summary>
    public void Launch<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> kernel, TIndex extent, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10) where TIndex : struct, IKernelIndex =>
        LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10]);

    /// <summary>Launches an explicitly grouped kernel with <paramref name="config"/>.</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10) =>
        LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10]);

    /// <summary>Launches an auto-grouped kernel over <paramref name="extent"/> (one lane per element).</summary>
    public void Launch<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> kernel, TIndex extent, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11) where TIndex : struct, IKernelIndex =>
        LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11]);

    /// <summary>Launches an explicitly grouped kernel with <paramref name="config"/>.</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11) =>
        LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11]);

    /// <summary>Launches an auto-grouped kernel over <paramref name="extent"/> (one lane per element).</summary>
    public void Launch<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> kernel, TIndex extent, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12) where TIndex : struct, IKernelIndex =>
        LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12]);

    /// <summary>Launches an explicitly grouped kernel with <paramref name="config"/>.</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12) =>
        LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12]);

    /// <summary>Launches an auto-grouped kernel over <paramref name="extent"/> (one lane per element).</summary>
    public void Launch<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> kernel, TIndex extent, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13) where TIndex : struct, IKernelIndex =>
        LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13]);

    /// <summary>Launches an explicitly grouped kernel with <paramref name="config"/>.</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13) =>
        LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13]);

    /// <summary>Launches an auto-grouped kernel over <paramref name="extent"/> (one lane per element).</summary>
    public void Launch<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> kernel, TIndex extent, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14) where TIndex : struct, IKernelIndex =>
        LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14]);

    /// <summary>Launches an explicitly grouped kernel with <paramref name="config"/>.</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> kernel, KernelConfig config, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14) =>
        LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14]);
}
