// ILGPU's kernel-loading calls, one per parameter count: each checks the kernel once and returns a typed launcher.
// Written by dev/write-launch-overloads.py: edit the script, not this file.
namespace GpuConvNet.Compute;

public abstract partial class Accelerator
{
    /// <summary>ILGPU's name: checks the auto-grouped <paramref name="kernel"/> and returns its launcher (extent, arguments).</summary>
    public Action<TIndex> LoadAutoGroupedStreamKernel<TIndex>(Action<TIndex> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (extent) => LaunchIndexed(kernel, extent, []);
    }

    /// <summary>ILGPU's name: as <see cref="LoadAutoGroupedStreamKernel{TIndex}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, TIndex> LoadAutoGroupedKernel<TIndex>(Action<TIndex> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (stream, extent) => OnStream(stream).LaunchIndexed(kernel, extent, []);
    }

    /// <summary>ILGPU's name: checks the auto-grouped <paramref name="kernel"/> and returns its launcher (extent, arguments).</summary>
    public Action<TIndex, T1> LoadAutoGroupedStreamKernel<TIndex, T1>(Action<TIndex, T1> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (extent, a1) => LaunchIndexed(kernel, extent, [a1]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadAutoGroupedStreamKernel{TIndex}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, TIndex, T1> LoadAutoGroupedKernel<TIndex, T1>(Action<TIndex, T1> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (stream, extent, a1) => OnStream(stream).LaunchIndexed(kernel, extent, [a1]);
    }

    /// <summary>ILGPU's name: checks the explicitly grouped <paramref name="kernel"/> and returns its launcher (config, arguments).</summary>
    public Action<KernelConfig, T1> LoadStreamKernel<T1>(Action<T1> kernel)
    {
        Load(kernel, grouped: true);
        return (config, a1) => LaunchGrouped(kernel, config, [a1]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadStreamKernel{T1}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, KernelConfig, T1> LoadKernel<T1>(Action<T1> kernel)
    {
        Load(kernel, grouped: true);
        return (stream, config, a1) => OnStream(stream).LaunchGrouped(kernel, config, [a1]);
    }

    /// <summary>ILGPU's name: checks the auto-grouped <paramref name="kernel"/> and returns its launcher (extent, arguments).</summary>
    public Action<TIndex, T1, T2> LoadAutoGroupedStreamKernel<TIndex, T1, T2>(Action<TIndex, T1, T2> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (extent, a1, a2) => LaunchIndexed(kernel, extent, [a1, a2]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadAutoGroupedStreamKernel{TIndex}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, TIndex, T1, T2> LoadAutoGroupedKernel<TIndex, T1, T2>(Action<TIndex, T1, T2> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (stream, extent, a1, a2) => OnStream(stream).LaunchIndexed(kernel, extent, [a1, a2]);
    }

    /// <summary>ILGPU's name: checks the explicitly grouped <paramref name="kernel"/> and returns its launcher (config, arguments).</summary>
    public Action<KernelConfig, T1, T2> LoadStreamKernel<T1, T2>(Action<T1, T2> kernel)
    {
        Load(kernel, grouped: true);
        return (config, a1, a2) => LaunchGrouped(kernel, config, [a1, a2]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadStreamKernel{T1}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2> LoadKernel<T1, T2>(Action<T1, T2> kernel)
    {
        Load(kernel, grouped: true);
        return (stream, config, a1, a2) => OnStream(stream).LaunchGrouped(kernel, config, [a1, a2]);
    }

    /// <summary>ILGPU's name: checks the auto-grouped <paramref name="kernel"/> and returns its launcher (extent, arguments).</summary>
    public Action<TIndex, T1, T2, T3> LoadAutoGroupedStreamKernel<TIndex, T1, T2, T3>(Action<TIndex, T1, T2, T3> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (extent, a1, a2, a3) => LaunchIndexed(kernel, extent, [a1, a2, a3]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadAutoGroupedStreamKernel{TIndex}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, TIndex, T1, T2, T3> LoadAutoGroupedKernel<TIndex, T1, T2, T3>(Action<TIndex, T1, T2, T3> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (stream, extent, a1, a2, a3) => OnStream(stream).LaunchIndexed(kernel, extent, [a1, a2, a3]);
    }

    /// <summary>ILGPU's name: checks the explicitly grouped <paramref name="kernel"/> and returns its launcher (config, arguments).</summary>
    public Action<KernelConfig, T1, T2, T3> LoadStreamKernel<T1, T2, T3>(Action<T1, T2, T3> kernel)
    {
        Load(kernel, grouped: true);
        return (config, a1, a2, a3) => LaunchGrouped(kernel, config, [a1, a2, a3]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadStreamKernel{T1}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3> LoadKernel<T1, T2, T3>(Action<T1, T2, T3> kernel)
    {
        Load(kernel, grouped: true);
        return (stream, config, a1, a2, a3) => OnStream(stream).LaunchGrouped(kernel, config, [a1, a2, a3]);
    }

    /// <summary>ILGPU's name: checks the auto-grouped <paramref name="kernel"/> and returns its launcher (extent, arguments).</summary>
    public Action<TIndex, T1, T2, T3, T4> LoadAutoGroupedStreamKernel<TIndex, T1, T2, T3, T4>(Action<TIndex, T1, T2, T3, T4> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (extent, a1, a2, a3, a4) => LaunchIndexed(kernel, extent, [a1, a2, a3, a4]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadAutoGroupedStreamKernel{TIndex}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, TIndex, T1, T2, T3, T4> LoadAutoGroupedKernel<TIndex, T1, T2, T3, T4>(Action<TIndex, T1, T2, T3, T4> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (stream, extent, a1, a2, a3, a4) => OnStream(stream).LaunchIndexed(kernel, extent, [a1, a2, a3, a4]);
    }

    /// <summary>ILGPU's name: checks the explicitly grouped <paramref name="kernel"/> and returns its launcher (config, arguments).</summary>
    public Action<KernelConfig, T1, T2, T3, T4> LoadStreamKernel<T1, T2, T3, T4>(Action<T1, T2, T3, T4> kernel)
    {
        Load(kernel, grouped: true);
        return (config, a1, a2, a3, a4) => LaunchGrouped(kernel, config, [a1, a2, a3, a4]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadStreamKernel{T1}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4> LoadKernel<T1, T2, T3, T4>(Action<T1, T2, T3, T4> kernel)
    {
        Load(kernel, grouped: true);
        return (stream, config, a1, a2, a3, a4) => OnStream(stream).LaunchGrouped(kernel, config, [a1, a2, a3, a4]);
    }

    /// <summary>ILGPU's name: checks the auto-grouped <paramref name="kernel"/> and returns its launcher (extent, arguments).</summary>
    public Action<TIndex, T1, T2, T3, T4, T5> LoadAutoGroupedStreamKernel<TIndex, T1, T2, T3, T4, T5>(Action<TIndex, T1, T2, T3, T4, T5> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (extent, a1, a2, a3, a4, a5) => LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadAutoGroupedStreamKernel{TIndex}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, TIndex, T1, T2, T3, T4, T5> LoadAutoGroupedKernel<TIndex, T1, T2, T3, T4, T5>(Action<TIndex, T1, T2, T3, T4, T5> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (stream, extent, a1, a2, a3, a4, a5) => OnStream(stream).LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5]);
    }

    /// <summary>ILGPU's name: checks the explicitly grouped <paramref name="kernel"/> and returns its launcher (config, arguments).</summary>
    public Action<KernelConfig, T1, T2, T3, T4, T5> LoadStreamKernel<T1, T2, T3, T4, T5>(Action<T1, T2, T3, T4, T5> kernel)
    {
        Load(kernel, grouped: true);
        return (config, a1, a2, a3, a4, a5) => LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadStreamKernel{T1}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5> LoadKernel<T1, T2, T3, T4, T5>(Action<T1, T2, T3, T4, T5> kernel)
    {
        Load(kernel, grouped: true);
        return (stream, config, a1, a2, a3, a4, a5) => OnStream(stream).LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5]);
    }

    /// <summary>ILGPU's name: checks the auto-grouped <paramref name="kernel"/> and returns its launcher (extent, arguments).</summary>
    public Action<TIndex, T1, T2, T3, T4, T5, T6> LoadAutoGroupedStreamKernel<TIndex, T1, T2, T3, T4, T5, T6>(Action<TIndex, T1, T2, T3, T4, T5, T6> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (extent, a1, a2, a3, a4, a5, a6) => LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadAutoGroupedStreamKernel{TIndex}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, TIndex, T1, T2, T3, T4, T5, T6> LoadAutoGroupedKernel<TIndex, T1, T2, T3, T4, T5, T6>(Action<TIndex, T1, T2, T3, T4, T5, T6> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (stream, extent, a1, a2, a3, a4, a5, a6) => OnStream(stream).LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6]);
    }

    /// <summary>ILGPU's name: checks the explicitly grouped <paramref name="kernel"/> and returns its launcher (config, arguments).</summary>
    public Action<KernelConfig, T1, T2, T3, T4, T5, T6> LoadStreamKernel<T1, T2, T3, T4, T5, T6>(Action<T1, T2, T3, T4, T5, T6> kernel)
    {
        Load(kernel, grouped: true);
        return (config, a1, a2, a3, a4, a5, a6) => LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadStreamKernel{T1}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6> LoadKernel<T1, T2, T3, T4, T5, T6>(Action<T1, T2, T3, T4, T5, T6> kernel)
    {
        Load(kernel, grouped: true);
        return (stream, config, a1, a2, a3, a4, a5, a6) => OnStream(stream).LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6]);
    }

    /// <summary>ILGPU's name: checks the auto-grouped <paramref name="kernel"/> and returns its launcher (extent, arguments).</summary>
    public Action<TIndex, T1, T2, T3, T4, T5, T6, T7> LoadAutoGroupedStreamKernel<TIndex, T1, T2, T3, T4, T5, T6, T7>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (extent, a1, a2, a3, a4, a5, a6, a7) => LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadAutoGroupedStreamKernel{TIndex}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, TIndex, T1, T2, T3, T4, T5, T6, T7> LoadAutoGroupedKernel<TIndex, T1, T2, T3, T4, T5, T6, T7>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (stream, extent, a1, a2, a3, a4, a5, a6, a7) => OnStream(stream).LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7]);
    }

    /// <summary>ILGPU's name: checks the explicitly grouped <paramref name="kernel"/> and returns its launcher (config, arguments).</summary>
    public Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7> LoadStreamKernel<T1, T2, T3, T4, T5, T6, T7>(Action<T1, T2, T3, T4, T5, T6, T7> kernel)
    {
        Load(kernel, grouped: true);
        return (config, a1, a2, a3, a4, a5, a6, a7) => LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadStreamKernel{T1}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6, T7> LoadKernel<T1, T2, T3, T4, T5, T6, T7>(Action<T1, T2, T3, T4, T5, T6, T7> kernel)
    {
        Load(kernel, grouped: true);
        return (stream, config, a1, a2, a3, a4, a5, a6, a7) => OnStream(stream).LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7]);
    }

    /// <summary>ILGPU's name: checks the auto-grouped <paramref name="kernel"/> and returns its launcher (extent, arguments).</summary>
    public Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8> LoadAutoGroupedStreamKernel<TIndex, T1, T2, T3, T4, T5, T6, T7, T8>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (extent, a1, a2, a3, a4, a5, a6, a7, a8) => LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadAutoGroupedStreamKernel{TIndex}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, TIndex, T1, T2, T3, T4, T5, T6, T7, T8> LoadAutoGroupedKernel<TIndex, T1, T2, T3, T4, T5, T6, T7, T8>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (stream, extent, a1, a2, a3, a4, a5, a6, a7, a8) => OnStream(stream).LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8]);
    }

    /// <summary>ILGPU's name: checks the explicitly grouped <paramref name="kernel"/> and returns its launcher (config, arguments).</summary>
    public Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8> LoadStreamKernel<T1, T2, T3, T4, T5, T6, T7, T8>(Action<T1, T2, T3, T4, T5, T6, T7, T8> kernel)
    {
        Load(kernel, grouped: true);
        return (config, a1, a2, a3, a4, a5, a6, a7, a8) => LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadStreamKernel{T1}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8> LoadKernel<T1, T2, T3, T4, T5, T6, T7, T8>(Action<T1, T2, T3, T4, T5, T6, T7, T8> kernel)
    {
        Load(kernel, grouped: true);
        return (stream, config, a1, a2, a3, a4, a5, a6, a7, a8) => OnStream(stream).LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8]);
    }

    /// <summary>ILGPU's name: checks the auto-grouped <paramref name="kernel"/> and returns its launcher (extent, arguments).</summary>
    public Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9> LoadAutoGroupedStreamKernel<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (extent, a1, a2, a3, a4, a5, a6, a7, a8, a9) => LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8, a9]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadAutoGroupedStreamKernel{TIndex}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9> LoadAutoGroupedKernel<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (stream, extent, a1, a2, a3, a4, a5, a6, a7, a8, a9) => OnStream(stream).LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8, a9]);
    }

    /// <summary>ILGPU's name: checks the explicitly grouped <paramref name="kernel"/> and returns its launcher (config, arguments).</summary>
    public Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9> LoadStreamKernel<T1, T2, T3, T4, T5, T6, T7, T8, T9>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9> kernel)
    {
        Load(kernel, grouped: true);
        return (config, a1, a2, a3, a4, a5, a6, a7, a8, a9) => LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8, a9]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadStreamKernel{T1}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9> LoadKernel<T1, T2, T3, T4, T5, T6, T7, T8, T9>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9> kernel)
    {
        Load(kernel, grouped: true);
        return (stream, config, a1, a2, a3, a4, a5, a6, a7, a8, a9) => OnStream(stream).LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8, a9]);
    }

    /// <summary>ILGPU's name: checks the auto-grouped <paramref name="kernel"/> and returns its launcher (extent, arguments).</summary>
    public Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> LoadAutoGroupedStreamKernel<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (extent, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10) => LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadAutoGroupedStreamKernel{TIndex}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> LoadAutoGroupedKernel<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (stream, extent, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10) => OnStream(stream).LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10]);
    }

    /// <summary>ILGPU's name: checks the explicitly grouped <paramref name="kernel"/> and returns its launcher (config, arguments).</summary>
    public Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> LoadStreamKernel<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> kernel)
    {
        Load(kernel, grouped: true);
        return (config, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10) => LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadStreamKernel{T1}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> LoadKernel<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> kernel)
    {
        Load(kernel, grouped: true);
        return (stream, config, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10) => OnStream(stream).LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10]);
    }

    /// <summary>ILGPU's name: checks the auto-grouped <paramref name="kernel"/> and returns its launcher (extent, arguments).</summary>
    public Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> LoadAutoGroupedStreamKernel<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (extent, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11) => LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadAutoGroupedStreamKernel{TIndex}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> LoadAutoGroupedKernel<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (stream, extent, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11) => OnStream(stream).LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11]);
    }

    /// <summary>ILGPU's name: checks the explicitly grouped <paramref name="kernel"/> and returns its launcher (config, arguments).</summary>
    public Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> LoadStreamKernel<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> kernel)
    {
        Load(kernel, grouped: true);
        return (config, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11) => LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadStreamKernel{T1}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> LoadKernel<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> kernel)
    {
        Load(kernel, grouped: true);
        return (stream, config, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11) => OnStream(stream).LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11]);
    }

    /// <summary>ILGPU's name: checks the auto-grouped <paramref name="kernel"/> and returns its launcher (extent, arguments).</summary>
    public Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> LoadAutoGroupedStreamKernel<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (extent, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12) => LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadAutoGroupedStreamKernel{TIndex}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> LoadAutoGroupedKernel<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (stream, extent, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12) => OnStream(stream).LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12]);
    }

    /// <summary>ILGPU's name: checks the explicitly grouped <paramref name="kernel"/> and returns its launcher (config, arguments).</summary>
    public Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> LoadStreamKernel<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> kernel)
    {
        Load(kernel, grouped: true);
        return (config, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12) => LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadStreamKernel{T1}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> LoadKernel<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> kernel)
    {
        Load(kernel, grouped: true);
        return (stream, config, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12) => OnStream(stream).LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12]);
    }

    /// <summary>ILGPU's name: checks the auto-grouped <paramref name="kernel"/> and returns its launcher (extent, arguments).</summary>
    public Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> LoadAutoGroupedStreamKernel<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (extent, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13) => LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadAutoGroupedStreamKernel{TIndex}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> LoadAutoGroupedKernel<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (stream, extent, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13) => OnStream(stream).LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13]);
    }

    /// <summary>ILGPU's name: checks the explicitly grouped <paramref name="kernel"/> and returns its launcher (config, arguments).</summary>
    public Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> LoadStreamKernel<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> kernel)
    {
        Load(kernel, grouped: true);
        return (config, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13) => LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13]);
    }

    /// <summary>ILGPU's name: as <see cref="LoadStreamKernel{T1}"/>, with the stream first.</summary>
    public Action<AcceleratorStream, KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> LoadKernel<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> kernel)
    {
        Load(kernel, grouped: true);
        return (stream, config, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13) => OnStream(stream).LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13]);
    }

    /// <summary>ILGPU's name: checks the auto-grouped <paramref name="kernel"/> and returns its launcher (extent, arguments).</summary>
    public Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> LoadAutoGroupedStreamKernel<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14>(Action<TIndex, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> kernel) where TIndex : struct, IKernelIndex
    {
        Load(kernel, grouped: false);
        return (extent, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14) => LaunchIndexed(kernel, extent, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14]);
    }

    /// <summary>ILGPU's name: checks the explicitly grouped <paramref name="kernel"/> and returns its launcher (config, arguments).</summary>
    public Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> LoadStreamKernel<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> kernel)
    {
        Load(kernel, grouped: true);
        return (config, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14) => LaunchGrouped(kernel, config, [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14]);
    }
}
