using GpuConvNet.Data;
using GpuConvNet.Datasets;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Data;

/// <summary>The normalisation constants, the seeded train/validation split and class counts.</summary>
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
    public void Normalize_ExtremesAndTable_MatchTheFormula()
    {
        Assert.AreEqual(-0.1307f / 0.3081f, MnistNormalization.Normalize(0), 1e-6f);
        Assert.AreEqual((1 - 0.1307f) / 0.3081f, MnistNormalization.Normalize(255), 1e-6f);
        var all = Enumerable.Range(0, 256).Select(p => (byte)p).ToArray();
        var normalized = MnistNormalization.Normalize(all);
        for (int p = 0; p < 256; p++)
        {
            Assert.AreEqual(MnistNormalization.Normalize((byte)p), normalized[p]);
        }
    }

    [TestMethod]
    public void Normalize_RealTrainingSet_HasMeanZeroAndUnitVariance()
    {
        string dir = SharedData.MnistDirectory;
        var images = IdxFile.ReadImages(Path.Combine(dir, "train-images-idx3-ubyte.gz"));
        var histogram = new long[256];
        foreach (byte p in images.Pixels)
        {
            histogram[p]++;
        }
        double n = images.Pixels.Length, sum = 0, sumSquares = 0;
        for (int p = 0; p < 256; p++)
        {
            double v = MnistNormalization.Normalize((byte)p);
            sum += histogram[p] * v;
            sumSquares += histogram[p] * v * v;
        }
        double mean = sum / n;
        double std = Math.Sqrt(sumSquares / n - mean * mean);
        Assert.AreEqual(0, mean, 0.001);
        Assert.AreEqual(1, std, 0.001);
    }
}
