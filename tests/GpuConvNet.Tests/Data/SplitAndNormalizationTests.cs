using GpuConvNet.Data;
using GpuConvNet.Datasets;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Data;

/// <summary>Each data set's normalisation (MNIST's standard values, or the training images' own), the seeded train/validation split and class counts.</summary>
[TestClass]
public sealed class SplitAndNormalizationTests
{
    [TestMethod]
    public void Split_DefaultFraction_HoldsOutTenPercentDisjointSortedAndComplete()
    {
        var split = TrainValidationSplit.Create(60000, seed: 7);
        Assert.HasCount(6000, split.Validation);
        Assert.HasCount(54000, split.Train);
        var all = split.Train.Concat(split.Validation).Order().ToArray();
        CollectionAssert.AreEqual(Enumerable.Range(0, 60000).ToArray(), all);
        CollectionAssert.AreEqual(split.Train.Order().ToArray(), split.Train);
        CollectionAssert.AreEqual(split.Validation.Order().ToArray(), split.Validation);
    }

    [TestMethod]
    public void Split_SameSeed_SameSplit_OtherSeed_OtherSplit()
    {
        var a = TrainValidationSplit.Create(1000, 0.2, seed: 3);
        var b = TrainValidationSplit.Create(1000, 0.2, seed: 3);
        var c = TrainValidationSplit.Create(1000, 0.2, seed: 4);
        CollectionAssert.AreEqual(a.Validation, b.Validation);
        CollectionAssert.AreNotEqual(a.Validation, c.Validation);
        Assert.HasCount(200, a.Validation);
    }

    [TestMethod]
    public void Split_ZeroFraction_KeepsEverythingForTraining()
    {
        var split = TrainValidationSplit.Create(10, 0);
        Assert.IsEmpty(split.Validation);
        Assert.HasCount(10, split.Train);
    }

    [TestMethod]
    [DataRow(1.0)]
    [DataRow(-0.1)]
    [DataRow(double.NaN)]
    public void Split_FractionOutsideRange_IsUserError(double fraction)
    {
        var error = Assert.ThrowsExactly<UserInputException>(() => TrainValidationSplit.Create(100, fraction));
        StringAssert.Contains(error.Message, "validation fraction must be at least 0 and below 1");
    }

    [TestMethod]
    public void Split_FractionLeavingNothing_IsUserError()
    {
        var error = Assert.ThrowsExactly<UserInputException>(() => TrainValidationSplit.Create(3, 0.9));
        StringAssert.Contains(error.Message, "leaves none of the 3 training images");
    }

    [TestMethod]
    public void ClassCounts_RealMnist_MatchTheKnownDistribution()
    {
        var data = MnistDataset.Load(new MnistOptions { DataDirectory = SharedData.MnistDirectory, CacheDirectory = "/nonexistent", Mirrors = [] });
        CollectionAssert.AreEqual(new[] { 5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949 }, ClassCounts.Count(data.Train.Labels));
        CollectionAssert.AreEqual(new[] { 980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009 }, ClassCounts.Count(data.Test.Labels));
        var split = TrainValidationSplit.Create(data.Train.Count, seed: 1);
        var train = ClassCounts.Count(data.Train.Labels, split.Train);
        var validation = ClassCounts.Count(data.Train.Labels, split.Validation);
        Assert.AreEqual(6000, validation.Sum());
        for (int c = 0; c < 10; c++)
        {
            Assert.AreEqual(ClassCounts.Count(data.Train.Labels)[c], train[c] + validation[c]);
            // A random 10 % of ~6000 examples: within 5 standard deviations of 600.
            Assert.IsInRange(450, 750, validation[c]);
        }
    }

    [TestMethod]
    public void ClassCounts_LabelBeyondClassCount_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => ClassCounts.Count([0, 1, 5], classCount: 5));
    }

    [TestMethod]
    public void Mnist_CarriesItsStandardNormalization_WhichNormalisesItsTrainingSetToMeanZeroAndUnitVariance()
    {
        var data = MnistDataset.Load(new MnistOptions { DataDirectory = SharedData.MnistDirectory, CacheDirectory = "/nonexistent", Mirrors = [] });
        Assert.AreEqual(new Normalization(0.1307f, 0.3081f), data.Normalization);
        var (mean, std) = NormalisedStatistics(data.Train.Images, data.Normalization);
        Assert.AreEqual(0, mean, 0.001);
        Assert.AreEqual(1, std, 0.001);
    }

    [TestMethod]
    public void AnIdxFolderOfMnistsFiles_GetsMnistsNormalizationExactly_ThoughItsOwnStatisticsAreComputed()
    {
        var data = DatasetCatalog.Load("idx:" + SharedData.MnistDirectory, new DatasetOptions());
        Assert.AreEqual(Normalization.Mnist, data.Normalization, "a model trained on idx:<MNIST> normalises as one trained on mnist");
    }

    [TestMethod]
    public void OtherImages_AreNormalisedByTheirOwnStatistics()
    {
        // Half the pixels 0 and half 255: mean 0.5 and standard deviation 0.5 of the pixels in [0, 1].
        var halves = new LabeledImages(new IdxImages(2, 2, 2, [0, 255, 0, 255, 255, 0, 255, 0]), [0, 1]);
        Assert.AreEqual(new Normalization(0.5f, 0.5f), DatasetNormalization.Of(halves, "halves"));
        var random = new Random(3);
        var pixels = new byte[50 * 28 * 28];
        random.NextBytes(pixels);
        var noise = new LabeledImages(new IdxImages(50, 28, 28, pixels), new byte[50]);

        var normalization = DatasetNormalization.Of(noise, "noise");

        var (mean, std) = NormalisedStatistics(pixels, normalization);
        Assert.AreEqual(0, mean, 1e-6);
        Assert.AreEqual(1, std, 1e-6);
        Assert.AreNotEqual(Normalization.Mnist, normalization);
    }

    [TestMethod]
    public void ImagesWithoutAnySpread_AreOnlyCentred_AndNoImagesAreRefusedInTheUsersWords()
    {
        var plain = new LabeledImages(new IdxImages(3, 2, 2, Enumerable.Repeat((byte)51, 12).ToArray()), [0, 1, 0]);
        Assert.AreEqual(new Normalization(0.2f, 1f), DatasetNormalization.Of(plain, "plain"));

        var none = new LabeledImages(new IdxImages(0, 2, 2, []), []);
        var error = Assert.ThrowsExactly<UserInputException>(() => DatasetNormalization.Of(none, "idx:/data/empty/train-images-idx3-ubyte"));

        StringAssert.StartsWith(error.Message, "idx:/data/empty/train-images-idx3-ubyte: there are no training images");
    }

    // The mean and standard deviation of the pixels once normalised as the gather kernel does (by value: 47 million pixels).
    private static (double Mean, double Std) NormalisedStatistics(byte[] pixels, Normalization normalization)
    {
        var counts = new long[256];
        foreach (byte p in pixels)
        {
            counts[p]++;
        }
        double sum = 0, squares = 0;
        for (int p = 0; p < 256; p++)
        {
            double v = ((double)p / 255 - normalization.Mean) / normalization.Std;
            sum += counts[p] * v;
            squares += counts[p] * v * v;
        }
        double mean = sum / pixels.Length;
        return (mean, Math.Sqrt(squares / pixels.Length - mean * mean));
    }
}
