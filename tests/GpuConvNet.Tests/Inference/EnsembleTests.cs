using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Data;
using GpuConvNet.Imaging;
using GpuConvNet.Inference;
using GpuConvNet.Kernels;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;
using GpuConvNet.Tests.Data;
using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.Training;

namespace GpuConvNet.Tests.Inference;

/// <summary>
/// Ensembles of tiny checkpoints: their predictions and scores are those of the mean of their members' probabilities,
/// each member computed as it is alone, and members that cannot be averaged are refused naming the file and the difference.
/// </summary>
[TestClass]
public sealed class EnsembleTests
{
    private static Accelerator Cpu => Backends.Get("cpu");

    [TestMethod]
    public void Predict_IsTheMeanOfTheMembersProbabilities_EachAsItIsAlone()
    {
        using var dir = new TempDirectory();
        // Different models, seeds and normalisations: each member must use its own.
        string a = Save(dir, "a.safetensors", "mlp", seed: 1);
        string b = Save(dir, "b.safetensors", "lenet5", seed: 2, normalization: new Normalization(0.5f, 0.25f));
        string c = Save(dir, "c.safetensors", "mlp", seed: 3);
        var images = RandomImages(70, seed: 4);

        using var ensemble = Ensemble.Read([a, b, c]).Build(Cpu, maxBatch: 32);
        var predictions = ensemble.Predict(images);

        var alone = new[] { (a, Normalization.Mnist), (b, new Normalization(0.5f, 0.25f)), (c, Normalization.Mnist) }.Select(m =>
        {
            var (model, _) = LoadedModel.Open(m.Item1, Cpu, 32);
            using (model)
            {
                return Predictor.Predict(model, m.Item2, images);
            }
        }).ToList();
        Assert.HasCount(images.Count, predictions);
        for (int n = 0; n < images.Count; n++)
        {
            for (int m = 0; m < 3; m++)
            {
                CollectionAssert.AreEqual(alone[m][n].Probabilities, predictions[n].Members[m].Probabilities, $"image {n}: member {m} answers as it does alone");
            }
            var combined = predictions[n].Combined;
            for (int k = 0; k < 10; k++)
            {
                double mean = alone.Average(p => p[n].Probabilities[k]);
                Assert.AreEqual(mean, combined.Probabilities[k], 1e-15, $"image {n} class {k}: the mean of the members' probabilities");
            }
            Assert.AreEqual(Array.IndexOf(combined.Probabilities, combined.Probabilities.Max()), combined.Class, $"image {n}: the most probable class of the mean");
        }
        Assert.IsTrue(Enumerable.Range(0, images.Count).Any(n => predictions[n].Combined.Class != predictions[n].Members[0].Class),
            "the members disagree somewhere, so the mean is not just one member's answer");
    }

    [TestMethod]
    public void AnEnsembleOfOne_PredictsExactlyAsTheModelAlone_AndScoresAsItsEvaluation()
    {
        using var dir = new TempDirectory();
        string a = Save(dir, "a.safetensors", "lenet5", seed: 5);
        var images = RandomImages(20, seed: 6);
        var test = TinyMnist.Create(train: 10, test: 50).Test;

        using var ensemble = Ensemble.Read([a]).Build(Cpu);
        var predictions = ensemble.Predict(images);

        var (model, _) = LoadedModel.Open(a, Cpu);
        using (model)
        {
            var alone = Predictor.Predict(model, Normalization.Mnist, images);
            for (int n = 0; n < images.Count; n++)
            {
                CollectionAssert.AreEqual(alone[n].Probabilities, predictions[n].Combined.Probabilities, $"image {n}");
            }
            var expected = Evaluate(model, test);
            var score = EnsembleScore.Of([expected.Logits!], Labels(test), 10, sigmoid: false);
            CollectionAssert.AreEqual(expected.Predictions, score.Predictions);
            Assert.AreEqual(expected.Accuracy, score.Accuracy);
            // The kernels' float loss against the double one of the same probabilities.
            Assert.AreEqual(expected.Loss, score.Loss, 1e-5 * expected.Loss);
        }
    }

    [TestMethod]
    public void Score_IsThatOfTheMeanOfTheMembersProbabilities()
    {
        using var dir = new TempDirectory();
        string a = Save(dir, "a.safetensors", "mlp", seed: 1);
        string b = Save(dir, "b.safetensors", "lenet5", seed: 2);
        var test = TinyMnist.Create(train: 10, test: 60).Test;
        var labels = Labels(test);
        var logits = new[] { a, b }.Select(path =>
        {
            var (model, _) = LoadedModel.Open(path, Cpu);
            using (model)
            {
                return Evaluate(model, test).Logits!;
            }
        }).ToList();

        var score = EnsembleScore.Of(logits, labels, 10, sigmoid: false);

        var mean = Enumerable.Range(0, labels.Length).Select(n => Enumerable.Range(0, 10)
            .Select(k => logits.Average(l => Predictor.Probabilities(l.AsSpan(n * 10, 10), sigmoid: false)[k])).ToArray()).ToList();
        var predicted = mean.Select(p => Array.IndexOf(p, p.Max())).ToArray();
        CollectionAssert.AreEqual(predicted, score.Predictions);
        Assert.AreEqual(predicted.Zip(labels).Count(x => x.First == x.Second) / (double)labels.Length, score.Accuracy, 1e-15);
        Assert.AreEqual(mean.Select((p, n) => -Math.Log(p[labels[n]])).Average(), score.Loss, 1e-12, "the cross-entropy of the mean");
        for (int n = 0; n < labels.Length; n++)
        {
            var fromLogits = Predictor.Probabilities(score.Logits.AsSpan(n * 10, 10), sigmoid: false);
            for (int k = 0; k < 10; k++)
            {
                Assert.AreEqual(mean[n][k], fromLogits[k], 1e-6, $"example {n} class {k}: the score's logits give the mean back");
            }
        }
    }

    [TestMethod]
    public void Score_OfSigmoidOutputs_AveragesEachClassAndScoresItsBinaryCrossEntropy()
    {
        // Two members, two examples, three classes, logits chosen by hand.
        float[] first = [0f, 2f, -2f, 1f, 1f, -1f];
        float[] second = [2f, 0f, -2f, -1f, 3f, 0f];
        int[] labels = [1, 0];
        var combined = EnsembleScore.Of([first, second], labels, 3, sigmoid: true);

        static double S(double z) => 1 / (1 + Math.Exp(-z));
        double loss = 0;
        for (int n = 0; n < 2; n++)
        {
            for (int k = 0; k < 3; k++)
            {
                double p = (S(first[n * 3 + k]) + S(second[n * 3 + k])) / 2;
                loss -= k == labels[n] ? Math.Log(p) : Math.Log(1 - p);
                Assert.AreEqual(p, S(combined.Logits[n * 3 + k]), 1e-6, $"example {n} class {k}");
            }
        }
        Assert.AreEqual(loss / 6, combined.Loss, 1e-12, "binary cross-entropy, mean over the elements");
        CollectionAssert.AreEqual(new[] { 0, 1 }, combined.Predictions, "(σ(0)+σ(2))/2 beats (σ(2)+σ(0))/2 by index, σ(1)+σ(3) beats σ(1)+σ(−1)");
        Assert.AreEqual(0.0, combined.Accuracy);
    }

    [TestMethod]
    public void MembersThatCannotBeAveraged_AreRefused_NamingTheFileAndTheDifference()
    {
        using var dir = new TempDirectory();
        string mnist = Save(dir, "mnist.safetensors", "mlp", seed: 1);
        var small = new TrainedOn("idx:small", Mnist.ClassNames, new Shape(1, 20, 20), Preprocessing.Resize(20, 20), Normalization.Mnist);
        string input = Save(dir, "small.safetensors", "mlp", seed: 1, trainedOn: small);
        string classes = Save(dir, "letters.safetensors", "mlp", seed: 1,
            trainedOn: TrainedOn.Mnist with { ClassNames = [.. Enumerable.Range(0, 12).Select(i => ((char)('a' + i)).ToString())] });
        string names = Save(dir, "names.safetensors", "mlp", seed: 1,
            trainedOn: TrainedOn.Mnist with { ClassNames = [.. Mnist.ClassNames.Select((n, i) => i == 7 ? "seven" : n)] });
        string resized = Save(dir, "resized.safetensors", "mlp", seed: 1, trainedOn: TrainedOn.Mnist with { Preprocessing = Preprocessing.Resize(28, 28) });
        string sigmoid = Save(dir, "sigmoid.safetensors", "mlp-small", seed: 1);

        foreach (var (other, difference) in new[]
        {
            (input, "its input is 1×20×20, not 1×28×28"),
            (classes, "it has 12 classes, not 10"),
            (names, "its class 7 is 'seven', not '7'"),
            (resized, "it prepares pictures as 'resize', not 'digit'"),
        })
        {
            var error = Assert.ThrowsExactly<UserInputException>(() => Ensemble.Read([mnist, other]));
            Assert.AreEqual($"{other} cannot join an ensemble with {mnist}: {difference}; the members of an ensemble must take the same input and tell the same classes apart", error.Message);
        }
        var outputs = Assert.ThrowsExactly<UserInputException>(() => Ensemble.Read([mnist, sigmoid]).Build(Cpu).Dispose());
        Assert.AreEqual($"{sigmoid} cannot join an ensemble with {mnist}: its mlp-small gives a sigmoid per class where the mlp gives a softmax over the classes; the members of an ensemble must give the same kind of probabilities", outputs.Message);
        var missing = Assert.ThrowsExactly<UserInputException>(() => Ensemble.Read([mnist, dir.File("none.safetensors")]));
        StringAssert.Contains(missing.Message, dir.File("none.safetensors"));
    }

    private static string Save(TempDirectory dir, string name, string recipe, int seed, Normalization? normalization = null, TrainedOn? trainedOn = null)
    {
        var data = trainedOn ?? TrainedOn.Mnist with { Normalization = normalization ?? Normalization.Mnist };
        string path = dir.File(name);
        using var model = ModelZoo.Get(recipe).Create(data.Input, data.Classes);
        model.Build(Cpu, 8, seed);
        ModelCheckpoint.Save(path, model, new Dictionary<string, string>(data.ToMetadata()) { ["epoch"] = "1" });
        return path;
    }

    private static Evaluation Evaluate(Model model, LabeledImages test)
    {
        using var data = DeviceDataset.From(Cpu, test, Normalization.Mnist);
        using var evaluator = new Evaluator(model, model.MaxBatch);
        return evaluator.Evaluate(data, keepOutputs: true);
    }

    private static int[] Labels(LabeledImages test) => [.. test.Labels.Select(l => (int)l)];

    private static List<byte[]> RandomImages(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var image = new byte[28 * 28];
            random.NextBytes(image);
            return image;
        })];
    }
}
