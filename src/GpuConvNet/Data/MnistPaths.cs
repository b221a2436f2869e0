namespace GpuConvNet.Data;

/// <summary>Where the four MNIST files of a run were found.</summary>
/// <param name="Directory">The folder that holds them.</param>
/// <param name="TrainImages">The training images file.</param>
/// <param name="TrainLabels">The training labels file.</param>
/// <param name="TestImages">The test images file.</param>
/// <param name="TestLabels">The test labels file.</param>
public sealed record MnistPaths(string Directory, string TrainImages, string TrainLabels, string TestImages, string TestLabels);
