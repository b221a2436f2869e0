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
    /// rotation, scale and shift (<see cref="AffineGather"/>).
    /// </summary>
    public (ArrayView<float> Images, ClassLabels Labels) Gather(DeviceDataset data, ArrayView<int> indices, int start, int size, RandomAffine transform)
    {
        ArgumentNullException.ThrowIfNull(data);
        var labels = size == y.Count ? y : y.Take(size);
        var images = x.View.SubView(0, size * sampleSize);
        AffineGather.Batch(accelerator, data.Images.View, data.Labels.View, indices, images, labels.View, start, size,
            data.Rows, data.Cols, data.Normalization, transform);
        return (images, labels);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        x.Dispose();
        y.Dispose();
    }
}
