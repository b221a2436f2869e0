namespace GpuConvNet.Data;

/// <summary>The MNIST training and test sets, and the folder they were read from.</summary>
/// <param name="Train">The 60,000 training images and labels.</param>
/// <param name="Test">The 10,000 test images and labels.</param>
/// <param name="Directory">The folder holding the four files that were read.</param>
public sealed record MnistData(MnistSet Train, MnistSet Test, string Directory);
