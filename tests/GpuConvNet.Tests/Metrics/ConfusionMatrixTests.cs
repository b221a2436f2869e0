using GpuConvNet.Metrics;

namespace GpuConvNet.Tests.Metrics;

[TestClass]
public sealed class ConfusionMatrixTests
{
    [TestMethod]
    public void Scores_MatchHandComputedValues()
    {
        // Class 0: 3 examples, 2 right, 1 predicted as 1. Class 1: 2 examples, both right. Class 2: 1, predicted as 0.
        int[] labels = [0, 0, 0, 1, 1, 2];
        int[] predictions = [0, 0, 1, 1, 1, 0];
        var matrix = ConfusionMatrix.From(labels, predictions, 3);
        Assert.AreEqual(4.0 / 6, matrix.Accuracy, 1e-12);
        var zero = matrix.Scores(0);
        Assert.AreEqual(2.0 / 3, zero.Precision, 1e-12); // predicted 0: three times, two right
        Assert.AreEqual(2.0 / 3, zero.Recall, 1e-12);
        Assert.AreEqual(2.0 / 3, zero.F1, 1e-12);
        var one = matrix.Scores(1);
        Assert.AreEqual(2.0 / 3, one.Precision, 1e-12);
        Assert.AreEqual(1.0, one.Recall, 1e-12);
        Assert.AreEqual(0.8, one.F1, 1e-12);
        var two = matrix.Scores(2);
        Assert.AreEqual(0, two.Precision); // never predicted: 0, as with zero_division=0
        Assert.AreEqual(0, two.Recall);
        Assert.AreEqual(1, two.Support);
        Assert.AreEqual((2.0 / 3 + 0.8 + 0) / 3, matrix.MacroF1, 1e-12);
        Assert.AreEqual(1, matrix[0, 1]);
    }

    [TestMethod]
    public void Add_OutsideTheClasses_Throws()
    {
        var matrix = new ConfusionMatrix(10);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => matrix.Add(10, 0));
    }
}
