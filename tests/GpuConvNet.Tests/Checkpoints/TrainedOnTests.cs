using GpuConvNet.Checkpoints;
using GpuConvNet.Imaging;
using GpuConvNet.Kernels;
using GpuConvNet.Nn.Layers;

namespace GpuConvNet.Tests.Checkpoints;

/// <summary>What a checkpoint's metadata says about the training data, the input normalisation above all.</summary>
[TestClass]
public sealed class TrainedOnTests
{
    private static readonly TrainedOn Shapes = new("folder:/data/shapes", ["circle", "square"], new Shape(1, 16, 16), Preprocessing.Resize(16, 16),
        new Normalization(0.0731f, 0.2177f));

    [TestMethod]
    public void TheMetadata_GivesBackTheNormalizationExactly()
    {
        var read = TrainedOn.From(Shapes.ToMetadata(), "shapes.safetensors");

        Assert.AreEqual(Shapes.Normalization, read.Normalization);
        Assert.AreEqual(Shapes.Input, read.Input);
    }

    [TestMethod]
    public void MetadataWithoutPixelStatistics_IsOfACheckpointNormalisedAsMnist()
    {
        var metadata = new Dictionary<string, string>(Shapes.ToMetadata());
        metadata.Remove(TrainedOn.PixelMeanKey);
        metadata.Remove(TrainedOn.PixelStdKey);

        Assert.AreEqual(Normalization.Mnist, TrainedOn.From(metadata, "old.safetensors").Normalization);
        Assert.AreEqual(Normalization.Mnist, TrainedOn.From(new Dictionary<string, string>(), "older.safetensors").Normalization);
    }

    [TestMethod]
    [DataRow("pixel_std", "0", "pixel_mean 0.0731 and pixel_std 0 are not a finite mean and a positive standard deviation")]
    [DataRow("pixel_mean", "NaN", "pixel_mean NaN and pixel_std 0.2177 are not a finite mean and a positive standard deviation")]
    [DataRow("pixel_std", "wide", "wide")]
    public void DamagedPixelStatistics_AreRefusedNamingTheFile(string key, string value, string expected)
    {
        var metadata = new Dictionary<string, string>(Shapes.ToMetadata()) { [key] = value };

        var error = Assert.ThrowsExactly<UserInputException>(() => TrainedOn.From(metadata, "damaged.safetensors"));

        StringAssert.StartsWith(error.Message, "damaged.safetensors: its metadata about the training data cannot be read (");
        StringAssert.Contains(error.Message, expected);
    }

    [TestMethod]
    public void AMeanWithoutItsStandardDeviation_IsRefused()
    {
        var metadata = new Dictionary<string, string>(Shapes.ToMetadata());
        metadata.Remove(TrainedOn.PixelStdKey);

        var error = Assert.ThrowsExactly<UserInputException>(() => TrainedOn.From(metadata, "half.safetensors"));

        StringAssert.Contains(error.Message, "it has pixel_mean without pixel_std");
    }
}
