using GpuConvNet.Compute;
using GpuConvNet.Data;
using GpuConvNet.Kernels;

namespace GpuConvNet.Training;

/// <summary>
/// Labelled images resident on the device as bytes (count × rows·cols) and int labels, with the normalisation that
/// makes them a model's input: batches are gathered and normalised there, so training never copies images from the host.
/// </summary>
public sealed class DeviceDataset : IDisposable
{
    /// <summary>
    /// Uploads <paramref name="images"/> (count × rows·cols bytes) and <paramref name="labels"/> (count, each in
    /// 0…classes−1: checked here, where they cross to the device), to be normalised with <paramref name="normalization"/>.
    /// </summary>
    public DeviceDataset(Accelerator accelerator, byte[] images, int[] labels, int rows, int cols, Normalization normalization, int classes = 10)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length == 0 || images.Length != labels.Length * rows * cols)
        {
            throw new ArgumentException($"dataset: {images.Length} image bytes do not hold {labels.Length} images of {rows}×{cols}");
        }
        Count = labels.Length;
        Rows = rows;
        Cols = cols;
        Normalization = normalization;
        HostLabels = labels;
        Images = accelerator.Allocate(images);
        Labels = ClassLabels.Upload(accelerator, labels, classes);
        Sequential = accelerator.Allocate(Enumerable.Range(0, Count).ToArray());
    }

    /// <summary>Number of examples.</summary>
    public int Count { get; }

    /// <summary>Image height.</summary>
    public int Rows { get; }

    /// <summary>Image width.</summary>
    public int Cols { get; }

    /// <summary>How the image bytes become a model's input.</summary>
    public Normalization Normalization { get; }

    /// <summary>Images on the device.</summary>
    public MemoryBuffer<byte> Images { get; }

    /// <summary>Labels on the device, validated against the class count.</summary>
    public ClassLabels Labels { get; }

    /// <summary>0, 1, …, count − 1 on the device: the gather order of an evaluation pass.</summary>
    public MemoryBuffer<int> Sequential { get; }

    /// <summary>The labels, kept on the host for metrics.</summary>
    public IReadOnlyList<int> HostLabels { get; }

    /// <summary>
    /// The examples of <paramref name="set"/> at <paramref name="indices"/> (all, in order, when null), uploaded, to be
    /// normalised with <paramref name="normalization"/>.
    /// </summary>
    public static DeviceDataset From(Accelerator accelerator, LabeledImages set, Normalization normalization, IReadOnlyList<int>? indices = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        var labels = set.Labels.Select(l => (int)l).ToArray();
        if (indices is null)
        {
            return new DeviceDataset(accelerator, set.Images, labels, set.Rows, set.Cols, normalization);
        }
        var (images, selected) = Select(set.Images, labels, set.PixelsPerImage, indices);
        return new DeviceDataset(accelerator, images, selected, set.Rows, set.Cols, normalization);
    }

    /// <summary>The examples at <paramref name="indices"/> of (images, labels), as new host arrays.</summary>
    public static (byte[] Images, int[] Labels) Select(byte[] images, int[] labels, int pixels, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(indices);
        var selectedImages = new byte[indices.Count * pixels];
        var selectedLabels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Array.Copy(images, (long)indices[i] * pixels, selectedImages, (long)i * pixels, pixels);
            selectedLabels[i] = labels[indices[i]];
        }
        return (selectedImages, selectedLabels);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
        Sequential.Dispose();
    }
}
