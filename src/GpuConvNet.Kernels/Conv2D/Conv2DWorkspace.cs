using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Scratch memory of the convolution passes (the column matrix of im2col, the padded input of the direct kernels,
/// partial weight gradients), owned across calls: a layer creates one, optionally <see cref="Reserve"/>s it for its
/// shape, and passes it to every forward and backward call, so no step of a training loop allocates. One workspace
/// may serve several layers (it grows to the largest need); it is used by one accelerator queue at a time, and each
/// call's launches are queued before the next call reuses it.
/// </summary>
public sealed class Conv2DWorkspace : IDisposable
{
    private MemoryBuffer<float>? buffer;
    private bool disposed;
    // The x whose zero-padded copy the start of the buffer holds, left there by a direct forward, so that the weight
    // gradient of the same x can skip padding it again; null once anything else may have been written there.
    private (Conv2DShape Shape, MemoryBuffer Buffer, int Offset, int Length)? paddedInput;

    /// <summary>An empty workspace on <paramref name="accelerator"/>; it grows on first use or <see cref="Reserve"/>.</summary>
    public Conv2DWorkspace(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        Accelerator = accelerator;
    }

    /// <summary>The accelerator whose memory this is.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Elements held now.</summary>
    public int Length => buffer?.Length ?? 0;

    /// <summary>
    /// Grows the workspace to what forward, backward-data and backward-weights of <paramref name="shape"/> need with
    /// <paramref name="algorithm"/> (as resolved on this accelerator), so that later calls do not allocate.
    /// </summary>
    public void Reserve(Conv2DShape shape, Conv2DAlgorithm algorithm = Conv2DAlgorithm.Auto)
    {
        shape.Validate("Conv2DWorkspace.Reserve");
        long need = 0;
        foreach (var pass in new[] { Conv2DPass.Forward, Conv2DPass.BackwardData, Conv2DPass.BackwardWeights })
        {
            need = Math.Max(need, Conv2D.WorkspaceLength(shape, pass, Conv2D.Resolve(Accelerator, shape, pass, algorithm)));
        }
        Acquire(need, "Conv2DWorkspace.Reserve");
    }

    /// <summary>A view of at least <paramref name="length"/> elements, growing the buffer if needed.</summary>
    internal ArrayView<float> Acquire(long length, string op)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (length > int.MaxValue)
        {
            throw new ArgumentException($"{op}: the workspace would need {length} elements, more than one buffer holds");
        }
        if (buffer is null || buffer.Length < length)
        {
            if (buffer is not null)
            {
                // Launches queued earlier may still read the old buffer.
                Accelerator.Synchronize();
                buffer.Dispose();
            }
            buffer = Accelerator.Allocate<float>((int)Math.Max(length, 1));
            paddedInput = null;
        }
        return buffer.View.SubView(0, (int)length);
    }

    /// <summary>Records that the start of the buffer now holds x of <paramref name="shape"/>, zero-padded for the direct kernels.</summary>
    internal void RecordPadded(Conv2DShape shape, ArrayView<float> x) =>
        paddedInput = x.Buffer is { } owner ? (shape, owner, x.Offset, x.Length) : null;

    /// <summary>Records that the start of the buffer holds something else now.</summary>
    internal void ForgetPadded() => paddedInput = null;

    /// <summary>True when the start of the buffer holds x (the same view) of <paramref name="shape"/>, zero-padded.</summary>
    internal bool HoldsPadded(Conv2DShape shape, ArrayView<float> x) =>
        paddedInput is { } held && held.Shape == shape && ReferenceEquals(held.Buffer, x.Buffer) && held.Offset == x.Offset && held.Length == x.Length;

    /// <summary>Frees the memory.</summary>
    public void Dispose()
    {
        disposed = true;
        buffer?.Dispose();
        buffer = null;
    }
}
