using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Scratch memory of <see cref="MatMul.Multiply"/> (a transposed copy of b), owned across calls so that a layer's
/// steps do not allocate: it grows to the largest request and is reused. One accelerator queue at a time.
/// </summary>
public sealed class MatMulWorkspace : IDisposable
{
    private MemoryBuffer<float>? buffer;

    /// <summary>A view of at least <paramref name="length"/> elements on <paramref name="accelerator"/>, growing if needed.</summary>
    public ArrayView<float> View(Accelerator accelerator, int length)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        if (buffer is not null && buffer.Accelerator != accelerator)
        {
            throw new ArgumentException($"MatMul: this workspace is on {buffer.Accelerator.Name}, the multiply on {accelerator.Name}");
        }
        if (buffer is null || buffer.Length < length)
        {
            buffer?.Dispose();
            buffer = accelerator.Allocate<float>(length);
        }
        return buffer.View.SubView(0, length);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        buffer?.Dispose();
        buffer = null;
    }
}
