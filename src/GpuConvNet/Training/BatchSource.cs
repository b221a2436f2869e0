using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using GpuConvNet.Nn;

namespace GpuConvNet.Training;

/// <summary>The device buffers one batch is gathered into: normalised images x and their labels y.</summary>
public sealed class BatchSource : IDisposable
{
    private readonly Accelerator accelerator;
    private readonly int sampleSize;
    private readonly MemoryBuffer<float> x;
    private readonly ClassLabels y;
    private readonly int maxBatch;
    private MemoryBuffer<float>? fields;
    private MemoryBuffer<float>? taps;
    private float tapsSigma;

    /// <summary>Buffers for batches of up to <paramref name="maxBatch"/> examples of <paramref name="model"/>'s input.</summary>
    public BatchSource(Model model, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(model);
        accelerator = model.Accelerator ?? throw new ArgumentException($"model {model.Name} is not built");
        if (maxBatch > model.MaxBatch)
        {
            throw new ArgumentException($"batch {maxBatch} exceeds the {model.MaxBatch} the model was built for");
        }
        sampleSize = model.Input.Size;
        this.maxBatch = maxBatch;
        x = accelerator.Allocate<float>(maxBatch * sampleSize);
        y = ClassLabels.ForDeviceCopies(accelerator, maxBatch, model.Classes);
    }

    /// <summary>
    /// Gathers examples indices[start … start + size) of <paramref name="data"/> (optionally shifted), normalised as
    /// the data says: returns the images (size, 1, rows, cols) and their labels.
    /// </summary>
    public (ArrayView<float> Images, ClassLabels Labels) Gather(DeviceDataset data, ArrayView<int> indices, int start, int size, RandomShift? shift)
    {
        ArgumentNullException.ThrowIfNull(data);
        var labels = size == y.Count ? y : y.Take(size);
        var images = x.View.SubView(0, size * sampleSize);
        Kernels.Gather.Batch(accelerator, data.Images.View, data.Labels.View, indices, images, labels.View, start, size,
            data.Rows, data.Cols, data.Normalization, shift);
        return (images, labels);
    }

    /// <summary>
    /// As <see cref="Gather(DeviceDataset, ArrayView{int}, int, int, RandomShift?)"/>, each image under its random
    /// rotation, scale and shift (<see cref="AffineGather"/>) and, when <paramref name="elastic"/> is on, displaced by
    /// its random field (<see cref="Elastic"/>, drawn from the transform's seed and step) in the same resampling.
    /// </summary>
    public (ArrayView<float> Images, ClassLabels Labels) Gather(DeviceDataset data, ArrayView<int> indices, int start, int size, RandomAffine transform,
        ElasticDistortion elastic = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var labels = size == y.Count ? y : y.Take(size);
        var images = x.View.SubView(0, size * sampleSize);
        if (elastic.IsOn)
        {
            var field = Field(elastic, size, data.Rows, data.Cols);
            Elastic.Field(accelerator, field.Taps.View, field.Rows, field.Field, size, data.Rows, data.Cols, elastic, transform.Seed, transform.Step);
            AffineGather.Batch(accelerator, data.Images.View, data.Labels.View, indices, images, labels.View, start, size,
                data.Rows, data.Cols, data.Normalization, transform, field.Field);
        }
        else
        {
            AffineGather.Batch(accelerator, data.Images.View, data.Labels.View, indices, images, labels.View, start, size,
                data.Rows, data.Cols, data.Normalization, transform);
        }
        return (images, labels);
    }

    // The blur's taps and the two field buffers, made at the first distorted batch (a run without elastic distortion
    // never pays for them) and again only if σ changes; the buffers hold the largest batch, views cut them to size.
    private (ArrayView<float> Rows, ArrayView<float> Field, MemoryBuffer<float> Taps) Field(ElasticDistortion elastic, int size, int rows, int cols)
    {
        if (taps is null || tapsSigma != elastic.Sigma)
        {
            taps?.Dispose();
            taps = accelerator.Allocate(Elastic.Taps(elastic.Sigma));
            tapsSigma = elastic.Sigma;
        }
        fields ??= accelerator.Allocate<float>(2 * 2 * maxBatch * sampleSize);
        int length = 2 * size * rows * cols;
        return (fields.View.SubView(0, length), fields.View.SubView(2 * maxBatch * sampleSize, length), taps);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        x.Dispose();
        y.Dispose();
        fields?.Dispose();
        taps?.Dispose();
    }
}
