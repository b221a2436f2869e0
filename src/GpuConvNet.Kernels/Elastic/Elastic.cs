using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Elastic distortion (Simard et al., 2003): each sample's pixels are displaced by a random field, noise uniform in
/// [−1, 1] per pixel and component smoothed by a Gaussian of standard deviation <paramref name="Sigma"/> pixels
/// (truncated at ⌈3σ⌉, zero outside the image) and scaled by <paramref name="Alpha"/>. MNIST's usual values are
/// α ≈ 34, σ ≈ 4. Alpha 0 is off.
/// </summary>
/// <param name="Alpha">Scale of the field in pixels, a finite number ≥ 0 (0: no distortion).</param>
/// <param name="Sigma">Smoothing in pixels, more than 0 and at most <see cref="Elastic.MaxSigma"/> when Alpha is not 0.</param>
public readonly record struct ElasticDistortion(float Alpha, float Sigma)
{
    /// <summary>Whether the images are distorted at all.</summary>
    public bool IsOn => Alpha > 0;
}

/// <summary>
/// Displacement fields for <see cref="AffineGather"/>: per sample of a batch, (u, v) drawn from (seed, step, sample),
/// so a run repeats its fields exactly and a resumed one draws what it would have.
/// </summary>
public static class Elastic
{
    /// <summary>The largest σ: a field smoother than that is a translation, which --shift draws more cheaply.</summary>
    public const float MaxSigma = 100f;

    /// <summary>
    /// field (batch, 2, height, width) = α · G ∗ noise, where noise[b, d, r, c] = U(Mix(<see cref="StepKey"/>(seed, step) ^ b),
    /// d·height·width + r·width + c), U = <see cref="AffineGatherKernels.Uniform"/>, and G the separable Gaussian whose
    /// weights per axis are <paramref name="taps"/> (<see cref="Taps"/>(σ)); noise and field are 0 outside the image.
    /// Three launches (<see cref="ElasticKernels"/>): the noise into <paramref name="field"/>, its row pass into
    /// <paramref name="rows"/> (batch, 2, height, width), the column pass back into <paramref name="field"/>. Asynchronous.
    /// </summary>
    public static void Field(Accelerator accelerator, ArrayView<float> taps, ArrayView<float> rows, ArrayView<float> field, int batch, int height, int width,
        ElasticDistortion distortion, int seed, int step)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "Elastic";
        Check(op, distortion);
        ShapeCheck.Positive(op, ("batch", batch), ("height", height), ("width", width));
        int radius = Radius(distortion.Sigma);
        ShapeCheck.Length(op, "taps", taps.Length, 2L * radius + 1, $"σ = {distortion.Sigma}'s taps (radius {radius})");
        long size = 2L * batch * height * width;
        ShapeCheck.Length(op, "rows", rows.Length, size, $"rows ({batch}, 2, {height}, {width})");
        ShapeCheck.Length(op, "field", field.Length, size, $"field ({batch}, 2, {height}, {width})");
        var extent = new Index3D(width, height, 2 * batch);
        accelerator.Launch(ElasticKernels.Noise, extent, field, height, width, StepKey(unchecked((uint)seed), unchecked((uint)step)));
        accelerator.Launch(ElasticKernels.Blur, extent, taps, field, rows, height, width, radius, 0, 1f);
        accelerator.Launch(ElasticKernels.Blur, extent, taps, rows, field, height, width, radius, 1, distortion.Alpha);
    }

    /// <summary>The Gaussian's reach either side: ⌈3σ⌉ pixels (at least 1).</summary>
    public static int Radius(float sigma) => Math.Max(1, (int)Math.Ceiling(3.0 * sigma));

    /// <summary>
    /// The blur's weights for <paramref name="sigma"/>: exp(−j² / 2σ²) for j = −radius … radius, divided by their sum
    /// (computed in double, rounded to float once), so that a field far from the borders has the spread of α·G ∗ noise
    /// with G summing to 1.
    /// </summary>
    public static float[] Taps(float sigma)
    {
        if (!(sigma > 0f && sigma <= MaxSigma))
        {
            throw new ArgumentException($"Elastic: σ is {sigma} pixels; it must be more than 0 and at most {MaxSigma}");
        }
        var weights = GaussianTaps(sigma);
        return Array.ConvertAll(weights, w => (float)w);
    }

    /// <summary>The weights of <see cref="Taps"/> in double, as the reference uses them.</summary>
    internal static double[] GaussianTaps(float sigma)
    {
        int radius = Radius(sigma);
        var weights = new double[2 * radius + 1];
        double sum = 0;
        for (int j = -radius; j <= radius; j++)
        {
            weights[radius + j] = Math.Exp(-(double)j * j / (2.0 * sigma * sigma));
            sum += weights[radius + j];
        }
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] /= sum;
        }
        return weights;
    }

    /// <summary>
    /// The hash key of a batch's fields: the seed salted otherwise than <see cref="AffineGather.StepKey"/>'s, so that
    /// the noise is not the affine draws at the same seed and step. Sample b's key is then Mix(stepKey ^ b).
    /// </summary>
    public static uint StepKey(uint seed, uint step) => CounterHash.Mix(CounterHash.Mix(seed ^ 0x27d4eb2fu) ^ step);

    private static void Check(string op, ElasticDistortion distortion)
    {
        // Negated comparisons: NaN fails every one of them.
        if (!(distortion.Alpha >= 0f) || !float.IsFinite(distortion.Alpha))
        {
            throw new ArgumentException($"{op}: α is {distortion.Alpha} pixels; it must be a finite number ≥ 0");
        }
        if (!(distortion.Sigma > 0f && distortion.Sigma <= MaxSigma))
        {
            throw new ArgumentException($"{op}: σ is {distortion.Sigma} pixels; it must be more than 0 and at most {MaxSigma}");
        }
    }
}
