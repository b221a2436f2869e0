using System.Runtime.CompilerServices;

namespace GpuConvNet.Compute;

/// <summary>
/// ILGPU's request for dynamic shared memory at a launch: <see cref="NumElements"/> elements of
/// <see cref="ElementSize"/> bytes per group, which the kernel reads with <see cref="SharedMemory.GetDynamic{T}"/>.
/// Part of a <see cref="KernelConfig"/>: <c>new KernelConfig(groups, groupSize, SharedMemoryConfig.RequestDynamic&lt;float&gt;(n))</c>.
/// </summary>
public readonly record struct SharedMemoryConfig
{
    /// <summary>No dynamic shared memory.</summary>
    public static readonly SharedMemoryConfig Empty;

    /// <summary><paramref name="numElements"/> elements of <paramref name="elementSize"/> bytes.</summary>
    public SharedMemoryConfig(int numElements, int elementSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numElements);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(elementSize);
        NumElements = numElements;
        ElementSize = elementSize;
    }

    /// <summary>The number of elements requested.</summary>
    public int NumElements { get; }

    /// <summary>Bytes per element.</summary>
    public int ElementSize { get; }

    /// <summary>Bytes requested per group.</summary>
    public long ArraySize => (long)NumElements * ElementSize;

    /// <summary>True when some dynamic shared memory is requested.</summary>
    public bool UsesDynamicSharedMemory => NumElements > 0;

    /// <summary><paramref name="numElements"/> elements of <typeparamref name="T"/>.</summary>
    public static SharedMemoryConfig RequestDynamic<T>(int numElements) where T : unmanaged => new(numElements, Unsafe.SizeOf<T>());
}
