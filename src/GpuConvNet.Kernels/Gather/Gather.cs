using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>Per-pixel normalisation x = (byte / 255 − Mean) / Std.</summary>
/// <param name="Mean">Mean of the dataset's pixels in [0, 1].</param>
/// <param name="Std">Their standard deviation (positive).</param>
public readonly record struct Normalization(float Mean, float Std)
{
    /// <summary>MNIST's training-set statistics (0.1307, 0.3081).</summary>
    public static Normalization Mnist => new(0.1307f, 0.3081f);
}

/// <summary>Random-shift augmentation: each sample moves by (dx, dy) ∈ [−MaxShift, MaxShift]², drawn from (Seed, Step, sample).</summary>
/// <param name="MaxShift">s ≥ 0; 0 leaves images in place.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Step">The training step (any int; e.g. epoch · batchesPerEpoch + batch), so every batch draws afresh.</param>
public readonly record struct RandomShift(int MaxShift, int Seed, int Step);

/// <summary>Batches gathered on the device from a shuffled index buffer (the dataset stays on the device as bytes).</summary>
public static class Gather
{
    /// <summary>
    /// x[b] = (images[indices[start + b]] / 255 − mean) / std and y[b] = labels[indices[start + b]] for b &lt; batch.
    /// images: (count, height·width) bytes, labels: (count), indices: (total) with start + batch ≤ total and entries in
    /// [0, count) (device data: not checked here; the CPU accelerator's bounds checks catch a bad index),
    /// x: (batch, 1, height, width), y: (batch). With <paramref name="shift"/>, each sample is translated by its
    /// random (dx, dy) with background (byte 0) filling in (<see cref="GatherKernels.GatherShifted"/>). Asynchronous.
    /// </summary>
    public static void Batch(Accelerator accelerator, ArrayView<byte> images, ArrayView<int> labels, ArrayView<int> indices,
        ArrayView<float> x, ArrayView<int> y, int start, int batch, int height, int width, Normalization normalization, RandomShift? shift = null)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "Gather";
        CheckBatch(op, images, labels, indices, x, y, start, batch, height, width, normalization);
        if (shift is { MaxShift: < 0 } bad)
        {
            throw new ArgumentException($"{op}: the maximum shift is {bad.MaxShift}; it must be 0 or more");
        }
        if (shift is { MaxShift: > 0 } s)
        {
            accelerator.Launch(GatherKernels.GatherShifted, new Index3D(width, height, batch), images, labels, indices, x, y, start, height, width,
                normalization.Mean, normalization.Std, s.MaxShift, s.Seed, s.Step);
        }
        else
        {
            int pixels = height * width;
            accelerator.Launch(GatherKernels.Gather, new Index1D(batch * pixels), images, labels, indices, x, y, start, pixels, normalization.Mean, normalization.Std);
        }
    }

    /// <summary>The checks of a batch gather (<see cref="Batch"/>, <see cref="AffineGather.Batch"/>), named after <paramref name="op"/>.</summary>
    internal static void CheckBatch(string op, ArrayView<byte> images, ArrayView<int> labels, ArrayView<int> indices, ArrayView<float> x, ArrayView<int> y,
        int start, int batch, int height, int width, Normalization normalization)
    {
        ShapeCheck.Positive(op, ("batch", batch), ("height", height), ("width", width), ("labels length", labels.Length));
        int pixels = height * width;
        int count = labels.Length;
        ShapeCheck.Length(op, "images", images.Length, (long)count * pixels, $"{count} labelled images of {height}×{width}");
        if (start < 0 || (long)start + batch > indices.Length)
        {
            throw new ArgumentException($"{op}: samples [{start}, {(long)start + batch}) are not all in the {indices.Length} indices");
        }
        ShapeCheck.Length(op, "x", x.Length, (long)batch * pixels, $"x ({batch}, 1, {height}, {width})");
        ShapeCheck.Length(op, "y", y.Length, batch, $"y ({batch})");
        if (!(normalization.Std > 0) || !float.IsFinite(normalization.Std) || !float.IsFinite(normalization.Mean))
        {
            throw new ArgumentException($"{op}: normalisation needs a finite mean and a positive std (got {normalization.Mean}, {normalization.Std})");
        }
    }
}
