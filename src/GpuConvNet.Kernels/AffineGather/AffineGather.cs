using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Random affine augmentation: each sample is turned by θ ∈ [−MaxDegrees, MaxDegrees]°, scaled by s ∈
/// [1 − MaxScale, 1 + MaxScale] and moved by (dx, dy) ∈ [−MaxShift, MaxShift]² pixels, all drawn uniformly from
/// (Seed, Step, sample), so a run repeats its batches exactly and a resumed one draws what it would have.
/// </summary>
/// <param name="MaxDegrees">Largest rotation, in degrees, 0 to 180.</param>
/// <param name="MaxScale">Largest relative change of size, 0 ≤ MaxScale &lt; 1.</param>
/// <param name="MaxShift">Largest translation in pixels (sub-pixel amounts included), ≥ 0.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Step">The training step (any int), so that every batch draws afresh.</param>
public readonly record struct RandomAffine(float MaxDegrees, float MaxScale, float MaxShift, int Seed, int Step);

/// <summary>Batches gathered on the device as <see cref="Gather"/> does, each sample under its own random affine transform.</summary>
public static class AffineGather
{
    /// <summary>
    /// x[b] = (images[indices[start + b]] under sample b's transform, read bilinearly with background 0 outside, / 255 −
    /// mean) / std and y[b] = labels[indices[start + b]] for b &lt; batch (<see cref="AffineGatherKernels.GatherAffine"/>).
    /// Layouts and index checks as <see cref="Gather.Batch"/>. Asynchronous.
    /// </summary>
    public static void Batch(Accelerator accelerator, ArrayView<byte> images, ArrayView<int> labels, ArrayView<int> indices,
        ArrayView<float> x, ArrayView<int> y, int start, int batch, int height, int width, Normalization normalization, RandomAffine transform)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "AffineGather";
        Gather.CheckBatch(op, images, labels, indices, x, y, start, batch, height, width, normalization);
        Check(op, transform);
        accelerator.Launch(AffineGatherKernels.GatherAffine, new Index3D(width, height, batch), images, labels, indices, x, y, start, height, width,
            normalization.Mean, normalization.Std, Radians(transform.MaxDegrees), transform.MaxScale, transform.MaxShift,
            StepKey(unchecked((uint)transform.Seed), unchecked((uint)transform.Step)));
    }

    /// <summary>
    /// As <see cref="Batch(Accelerator, ArrayView{byte}, ArrayView{int}, ArrayView{int}, ArrayView{float}, ArrayView{int}, int, int, int, int, Normalization, RandomAffine)"/>,
    /// with sample b's source coordinates moved by (displacement[b, 0, r, c], displacement[b, 1, r, c]) pixels after
    /// the affine transform (<see cref="AffineGatherKernels.GatherAffineDisplaced"/>): an elastic distortion
    /// (<see cref="Elastic.Field"/>) and the transform in one resampling. displacement: (batch, 2, height, width). Asynchronous.
    /// </summary>
    public static void Batch(Accelerator accelerator, ArrayView<byte> images, ArrayView<int> labels, ArrayView<int> indices,
        ArrayView<float> x, ArrayView<int> y, int start, int batch, int height, int width, Normalization normalization, RandomAffine transform,
        ArrayView<float> displacement)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "AffineGather";
        Gather.CheckBatch(op, images, labels, indices, x, y, start, batch, height, width, normalization);
        Check(op, transform);
        ShapeCheck.Length(op, "displacement", displacement.Length, 2L * batch * height * width, $"displacement ({batch}, 2, {height}, {width})");
        accelerator.Launch(AffineGatherKernels.GatherAffineDisplaced, new Index3D(width, height, batch), images, labels, indices.SubView(start, batch), x, y,
            displacement, height, width, normalization.Mean, normalization.Std, Radians(transform.MaxDegrees), transform.MaxScale, transform.MaxShift,
            StepKey(unchecked((uint)transform.Seed), unchecked((uint)transform.Step)));
    }

    /// <summary>
    /// The hash key of a batch, computed once on the host (the kernel would take one parameter too many for seed and
    /// step): the seed is salted so that the draws are not those of <see cref="GatherKernels.SampleHash"/> (the
    /// shift) at the same seed and step. Sample b's key is then Mix(stepKey ^ b).
    /// </summary>
    public static uint StepKey(uint seed, uint step) => CounterHash.Mix(CounterHash.Mix(seed ^ 0x5bd1e995u) ^ step);

    /// <summary>The largest rotation in radians, as the kernel takes it (rounded to float once, here).</summary>
    public static float Radians(float degrees) => (float)(degrees * Math.PI / 180.0);

    private static void Check(string op, RandomAffine transform)
    {
        // Negated comparisons: NaN fails every one of them.
        if (!(transform.MaxDegrees is >= 0f and <= 180f))
        {
            throw new ArgumentException($"{op}: the largest rotation is {transform.MaxDegrees}°; it must lie in [0, 180]");
        }
        if (!(transform.MaxScale is >= 0f and < 1f))
        {
            throw new ArgumentException($"{op}: the largest change of scale is {transform.MaxScale}; it must lie in [0, 1)");
        }
        if (!(transform.MaxShift >= 0f) || !float.IsFinite(transform.MaxShift))
        {
            throw new ArgumentException($"{op}: the largest shift is {transform.MaxShift} pixels; it must be a finite number ≥ 0");
        }
    }
}
