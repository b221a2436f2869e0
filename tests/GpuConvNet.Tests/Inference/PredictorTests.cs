using GpuConvNet.Compute;
using GpuConvNet.Imaging;
using GpuConvNet.Inference;
using GpuConvNet.Kernels;
using GpuConvNet.Nn;
using GpuConvNet.Tests.Data;
using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.Training;

namespace GpuConvNet.Tests.Inference;

/// <summary>
/// <see cref="Predictor"/>'s plumbing on randomly initialised models (what a model predicts is the training tests'
/// business): probabilities from the logits <see cref="Evaluator"/> computes, the digit as their argmax, results in
/// the order of the images across several batches, and images from files through <see cref="MnistPreprocessor"/>.
/// </summary>
[TestClass]
public sealed class PredictorTests
{
    // Small enough that 150 images take three batches, the last one partial.
    private const int MaxBatch = 64;

    [TestMethod]
    [DataRow("mlp")]
    [DataRow("lenet5")]
    public void SoftmaxModel_ProbabilitiesAreTheSoftmaxOfTheEvaluatorsLogits_InTheOrderOfTheImages(string name)
    {
        using var model = Built(name);
        var images = RandomImages(150, seed: 1);

        var predictions = Predictor.Predict(model, Normalization.Mnist, images);
        var logits = EvaluatorLogits(model, images);

        Assert.HasCount(images.Count, predictions);
        for (int n = 0; n < images.Count; n++)
        {
            var p = predictions[n];
            var row = logits.AsSpan(n * 10, 10).ToArray();
            Assert.HasCount(10, p.Probabilities);
            Assert.AreEqual(1.0, p.Probabilities.Sum(), 1e-9, $"image {n}: probabilities sum to 1");
            Assert.IsTrue(p.Probabilities.All(q => q is > 0 and < 1), $"image {n}: every probability in (0, 1)");
            double max = row.Max();
            double total = row.Sum(l => Math.Exp(l - max));
            for (int c = 0; c < 10; c++)
            {
                Assert.AreEqual(Math.Exp(row[c] - max) / total, p.Probabilities[c], 1e-12, $"image {n}, class {c}");
            }
            Assert.AreEqual(Array.IndexOf(row, row.Max()), p.Class, $"image {n}: the digit is the logits' argmax");
            Assert.AreEqual(Array.IndexOf(p.Probabilities, p.Probabilities.Max()), p.Class, $"image {n}: the digit is the most probable class");
        }
        AssertDistinct(predictions);
    }

    [TestMethod]
    public void SigmoidModel_ProbabilitiesAreEachLogitsSigmoid()
    {
        using var model = Built("mlp-small");
        Assert.AreEqual(LossKind.SigmoidBinaryCrossEntropy, model.Loss);
        var images = RandomImages(70, seed: 2);

        var predictions = Predictor.Predict(model, Normalization.Mnist, images);
        var logits = EvaluatorLogits(model, images);

        Assert.HasCount(images.Count, predictions);
        for (int n = 0; n < images.Count; n++)
        {
            var row = logits.AsSpan(n * 10, 10).ToArray();
            for (int c = 0; c < 10; c++)
            {
                Assert.AreEqual(1 / (1 + Math.Exp(-row[c])), predictions[n].Probabilities[c], 1e-12, $"image {n}, class {c}");
            }
            Assert.AreEqual(Array.IndexOf(row, row.Max()), predictions[n].Class, $"image {n}");
        }
    }

    [TestMethod]
    public void TheNormalizationGiven_IsTheOneEvaluationApplies()
    {
        using var model = Built("lenet5");
        var images = RandomImages(20, seed: 6);
        var own = new Normalization(0.45f, 0.2f);

        var predictions = Predictor.Predict(model, own, images);
        var logits = EvaluatorLogits(model, images, own);
        var asMnist = Predictor.Predict(model, Normalization.Mnist, images);

        for (int n = 0; n < images.Count; n++)
        {
            var expected = Predictor.Probabilities(logits.AsSpan(n * 10, 10), sigmoid: false);
            for (int c = 0; c < 10; c++)
            {
                Assert.AreEqual(expected[c], predictions[n].Probabilities[c], 1e-12, $"image {n}, class {c}");
            }
        }
        Assert.IsGreaterThan(1e-3, predictions.Zip(asMnist).Max(p => p.First.Probabilities.Zip(p.Second.Probabilities).Max(q => Math.Abs(q.First - q.Second))),
            "another normalisation gives other inputs");
    }

    [TestMethod]
    public void ImagesInAnotherOrder_GiveTheSamePredictionsInThatOrder()
    {
        using var model = Built("lenet5");
        var images = RandomImages(150, seed: 3);
        var shuffled = Enumerable.Range(0, images.Count).ToArray();
        new Random(4).Shuffle(shuffled);

        var inOrder = Predictor.Predict(model, Normalization.Mnist, images);
        var reordered = Predictor.Predict(model, Normalization.Mnist, shuffled.Select(i => images[i]).ToList());

        AssertDistinct(inOrder);
        for (int k = 0; k < shuffled.Length; k++)
        {
            var expected = inOrder[shuffled[k]];
            Assert.AreEqual(expected.Class, reordered[k].Class, $"position {k} (image {shuffled[k]})");
            for (int c = 0; c < 10; c++)
            {
                // Each image's logits depend on that image alone, wherever it sits in a batch.
                Assert.AreEqual(expected.Probabilities[c], reordered[k].Probabilities[c], 1e-6, $"position {k} (image {shuffled[k]}), class {c}");
            }
        }
    }

    [TestMethod]
    public void NoImages_GiveNoPredictions()
    {
        using var model = Built("mlp");
        Assert.IsEmpty(Predictor.Predict(model, Normalization.Mnist, []));
    }

    [TestMethod]
    public void UnbuiltModel_IsRefused()
    {
        using var model = ModelZoo.Get("mlp").Create();
        var error = Assert.ThrowsExactly<ArgumentException>(() => Predictor.Predict(model, Normalization.Mnist, RandomImages(1, seed: 5)));
        StringAssert.Contains(error.Message, "model mlp is not built");
    }

    [TestMethod]
    public void PngFiles_DarkOnLightAndLightOnDark_PrepareToTheSameMnistImageAndPrediction()
    {
        using var model = Built("lenet5");
        using var dir = new TempDirectory();
        string dark = dir.File("dark-on-light.png");
        string light = dir.File("light-on-dark.png");
        PngFile.Write(dark, Seven(ink: 20, paper: 235));
        PngFile.Write(light, Seven(ink: 235, paper: 20));

        var fromDark = MnistPreprocessor.Prepare(ImageFile.Read(dark), dark);
        var fromLight = MnistPreprocessor.Prepare(ImageFile.Read(light), light);

        Assert.HasCount(28 * 28, fromDark);
        CollectionAssert.AreEqual(fromLight, fromDark, "inverting the picture changes nothing once prepared");
        Assert.AreEqual((byte)255, fromDark.Max(), "full ink after contrast stretching");
        Assert.IsLessThanOrEqualTo(20 * 20, fromDark.Count(p => p != 0), "the digit fits a 20×20 box on a black field, as in MNIST");
        Assert.IsGreaterThan(50, fromDark.Count(p => p > 128), "and it is there");
        var predictions = Predictor.Predict(model, Normalization.Mnist, [fromDark, fromLight]);
        Assert.AreEqual(predictions[0].Class, predictions[1].Class);
        CollectionAssert.AreEqual(predictions[0].Probabilities, predictions[1].Probabilities);
    }

    private static Model Built(string name)
    {
        var model = ModelZoo.Get(name).Create();
        model.Build(Backends.Get("cpu"), MaxBatch, seed: 9);
        return model;
    }

    private static List<byte[]> RandomImages(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var image = new byte[28 * 28];
            random.NextBytes(image);
            return image;
        }).ToList();
    }

    // Evaluation needs labels; these are arbitrary, as only its logits are compared.
    private static float[] EvaluatorLogits(Model model, List<byte[]> images, Normalization? normalization = null)
    {
        var accelerator = model.Accelerator!;
        using var data = new DeviceDataset(accelerator, images.SelectMany(i => i).ToArray(), new int[images.Count], 28, 28, normalization ?? Normalization.Mnist);
        using var evaluator = new Evaluator(model, MaxBatch);
        return evaluator.Evaluate(data, keepOutputs: true).Logits!;
    }

    /// <summary>No two predictions are alike, so an order test would see any swap.</summary>
    private static void AssertDistinct(IReadOnlyList<Prediction> predictions)
    {
        for (int i = 0; i < predictions.Count; i++)
        {
            for (int j = i + 1; j < predictions.Count; j++)
            {
                double difference = predictions[i].Probabilities.Zip(predictions[j].Probabilities).Max(p => Math.Abs(p.First - p.Second));
                Assert.IsGreaterThan(1e-5, difference, $"images {i} and {j} give the same probabilities, so their order could not be checked");
            }
        }
    }

    /// <summary>A 7 drawn with a thick stroke on a 60×80 gray picture.</summary>
    private static Raster Seven(byte ink, byte paper)
    {
        const int width = 60, height = 80;
        var pixels = Enumerable.Repeat(paper, width * height).ToArray();
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bool bar = y is >= 12 and < 20 && x is >= 10 and < 50;
                int diagonal = 50 - (y - 12) * 30 / 56;
                bool stem = y is >= 12 and < 68 && Math.Abs(x - diagonal) < 4;
                if (bar || stem)
                {
                    pixels[y * width + x] = ink;
                }
            }
        }
        return new Raster(width, height, PixelLayout.Gray, pixels);
    }
}
