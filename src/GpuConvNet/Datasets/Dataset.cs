using GpuConvNet.Data;
using GpuConvNet.Imaging;
using GpuConvNet.Kernels;

namespace GpuConvNet.Datasets;

/// <summary>
/// A labelled image data set: its training and test images, the names of its classes, how a user's picture becomes
/// one of its images, and how its images become a model's input (so that predictions see what training saw).
/// </summary>
/// <param name="Spec">How it was named: <c>mnist</c>, <c>idx:DIR</c> or <c>folder:DIR</c> (folders absolute).</param>
/// <param name="Train">The training images and labels.</param>
/// <param name="Test">The test images and labels.</param>
/// <param name="ClassNames">The name of each class, in label order.</param>
/// <param name="Preprocessing">How pictures were (for folders) or should be (for predictions) turned into images.</param>
/// <param name="Normalization">How pixel bytes become a model's input: MNIST's standard values for MNIST, the training images' own statistics for the others.</param>
/// <param name="Directory">The folder the images came from.</param>
/// <param name="TrainSource">Where the training images came from, for messages (a file or a folder).</param>
/// <param name="TestSource">Where the test images came from, for messages.</param>
public sealed record Dataset(string Spec, LabeledImages Train, LabeledImages Test, IReadOnlyList<string> ClassNames, Preprocessing Preprocessing,
    Normalization Normalization, string Directory, string TrainSource, string TestSource)
{
    /// <summary>Number of classes.</summary>
    public int Classes => ClassNames.Count;

    /// <summary>For an image folder without test/: the share of each class held out as the test set (with <see cref="DatasetOptions.Seed"/>); else null.</summary>
    public double? HeldOut { get; init; }
}
