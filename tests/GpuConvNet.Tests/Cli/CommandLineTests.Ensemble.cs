using System.Globalization;
using System.Text.Json;
using GpuConvNet.Checkpoints;
using GpuConvNet.Cli;
using GpuConvNet.Imaging;
using GpuConvNet.Inference;
using GpuConvNet.Kernels;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;
using GpuConvNet.Tests.Data;
using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.Training;

namespace GpuConvNet.Tests.Cli;

/// <summary>eval, predict and serve given several model files: an ensemble, whose probabilities are averaged.</summary>
public sealed partial class CommandLineTests
{
    [TestMethod]
    public void EvalOfTwoCheckpoints_PrintsEachMembersAccuracy_AndTheEnsembles()
    {
        using var dir = new TempDirectory();
        string data = Directory.CreateDirectory(dir.File("mnist")).FullName;
        var mnist = TinyMnist.Create(train: 20, test: 100, seed: 21);
        TinyMnist.WriteGz(data, mnist);
        string a = SaveMember(dir, "a.safetensors", "mlp", seed: 1);
        string b = SaveMember(dir, "b.safetensors", "lenet5", seed: 2);

        var alone = Run("eval", a, "--device", "cpu", "--data", data, "--out", dir.File("alone"));
        var both = Run("eval", a, b, "--device", "cpu", "--data", data, "--out", dir.File("both"));

        Assert.AreEqual(0, both.Code, both.Error + both.Out);
        Assert.AreEqual("", both.Error);
        StringAssert.Contains(both.Out, $"mlp from {a} (epoch 1)");
        StringAssert.Contains(both.Out, $"lenet5 from {b} (epoch 1)");
        var evaluations = new[] { a, b }.Select(path =>
        {
            var (model, _) = LoadedModel.Open(path, Backends.Get("cpu"));
            using (model)
            {
                using var test = DeviceDataset.From(Backends.Get("cpu"), mnist.Test, Normalization.Mnist);
                using var evaluator = new Evaluator(model, model.MaxBatch);
                return evaluator.Evaluate(test, keepOutputs: true);
            }
        }).ToList();
        var expected = EnsembleScore.Of([.. evaluations.Select(e => e.Logits!)], [.. mnist.Test.Labels.Select(l => (int)l)], 10, sigmoid: false);
        string P(double accuracy) => accuracy.ToString("P2", CultureInfo.InvariantCulture);
        StringAssert.Contains(both.Out, $"member 1, mlp from {a}: test accuracy {P(evaluations[0].Accuracy)}, loss ");
        StringAssert.Contains(both.Out, $"member 2, lenet5 from {b}: test accuracy {P(evaluations[1].Accuracy)}, loss ");
        StringAssert.Contains(both.Out, $"test, ensemble of 2: accuracy {P(expected.Accuracy)}, loss {expected.Loss.ToString("F4", CultureInfo.InvariantCulture)}");
        Assert.AreEqual(Accuracy(EvalAccuracy(), alone.Out), evaluations[0].Accuracy * 100, 0.005, "member 1's accuracy is the one eval reports for it alone");
        Assert.IsTrue(File.Exists(Path.Combine(dir.File("both"), "confusion-matrix.png")), "the ensemble's pictures");

        var beside = Run("eval", a, b, "--device", "cpu", "--data", data);
        Assert.AreEqual(0, beside.Code, beside.Error + beside.Out);
        Assert.IsTrue(File.Exists(Path.Combine(dir.Path, "ensemble", "confusion-matrix.png")), "without --out, in ensemble/ beside the first member");
        Assert.IsFalse(File.Exists(Path.Combine(dir.Path, "confusion-matrix.png")), "the first member's own pictures are not written over");
    }

    [TestMethod]
    public void PredictWithTwoCheckpoints_AnswersTheMeanOfWhatEachAnswersAlone()
    {
        using var dir = new TempDirectory();
        string a = SaveMember(dir, "a.safetensors", "mlp", seed: 1);
        string b = SaveMember(dir, "b.safetensors", "lenet5", seed: 2);
        string seven = dir.File("seven.png");
        string one = dir.File("one.png");
        PngFile.Write(seven, Digit(seven: true));
        PngFile.Write(one, Digit(seven: false));

        var first = Probabilities(Run("predict", a, seven, one, "--device", "cpu", "--format", "json"));
        var second = Probabilities(Run("predict", b, seven, one, "--device", "cpu", "--format", "json"));
        var both = Probabilities(Run("predict", a, b, seven, one, "--device", "cpu", "--format", "json"));

        Assert.HasCount(2, both, "two images: the second model file joined the first, it was not taken for an image");
        for (int n = 0; n < 2; n++)
        {
            for (int c = 0; c < 10; c++)
            {
                // JSON rounds each probability to 6 decimals: the mean of two rounded ones is within 1e-6 of the rounded mean.
                Assert.AreEqual((first[n][c] + second[n][c]) / 2, both[n][c], 1.0000001e-6, $"image {n} class {c}");
            }
        }

        static double[][] Probabilities((int Code, string Out, string Error) result)
        {
            Assert.AreEqual(0, result.Code, result.Error);
            return [.. JsonDocument.Parse(result.Out).RootElement.EnumerateArray()
                .Select(row => row.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble()).ToArray())];
        }
    }

    [TestMethod]
    public void MembersThatDisagree_AreRefusedByEvalPredictAndServe_InOneLineNamingTheFile()
    {
        using var dir = new TempDirectory();
        string a = SaveMember(dir, "a.safetensors", "mlp", seed: 1);
        string small = SaveMember(dir, "small.safetensors", "mlp", seed: 1,
            new TrainedOn("idx:small", global::GpuConvNet.Data.Mnist.ClassNames, new Shape(1, 20, 20), Preprocessing.Resize(20, 20), Normalization.Mnist));
        string sigmoid = SaveMember(dir, "sigmoid.safetensors", "mlp-small", seed: 1);
        string seven = dir.File("seven.png");
        PngFile.Write(seven, Digit(seven: true));
        string expected = $"gpuconvnet: {small} cannot join an ensemble with {a}: its input is 1×20×20, not 1×28×28; the members of an ensemble must take the same input and tell the same classes apart";

        foreach (var refused in new[]
        {
            Run("eval", a, small, "--device", "cpu"),
            Run("predict", a, small, seven, "--device", "cpu"),
            Run("serve", "--model", a, "--model", small, "--device", "cpu", "--port", "0"),
            Run("serve", a, "--model", small, "--device", "cpu", "--port", "0"),
        })
        {
            Assert.AreEqual(CommandLine.Failure, refused.Code, refused.Error);
            AssertOneLine(refused.Error);
            Assert.AreEqual(expected, refused.Error.TrimEnd());
        }
        var outputs = Run("predict", a, sigmoid, seven, "--device", "cpu");
        Assert.AreEqual(CommandLine.Failure, outputs.Code, outputs.Error);
        AssertOneLine(outputs.Error);
        StringAssert.StartsWith(outputs.Error, $"gpuconvnet: {sigmoid} cannot join an ensemble with {a}: its mlp-small gives a sigmoid per class");
        var noImages = Run("predict", a, sigmoid, "--device", "cpu");
        Assert.AreEqual(CommandLine.Failure, noImages.Code, noImages.Error);
        Assert.AreEqual($"gpuconvnet: no images to predict: {a}, {sigmoid} are all model files; name image files or folders after them", noImages.Error.TrimEnd());
    }

    [TestMethod]
    public void ServeWithTwoModels_LoadsBoth_BeforeListening()
    {
        using var dir = new TempDirectory();
        string a = SaveMember(dir, "a.safetensors", "mlp", seed: 1);
        string b = SaveMember(dir, "b.safetensors", "lenet5", seed: 2);
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var serve = Run("serve", "--model", a, "--model", b, "--device", "cpu", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture));

        StringAssert.StartsWith(serve.Error, $"gpuconvnet: cannot listen on 127.0.0.1:{port}: ", "serve built both models, then found the port taken");
    }

    /// <summary>An untrained model's checkpoint in <paramref name="dir"/>, saying what it was trained on (MNIST unless told).</summary>
    private static string SaveMember(TempDirectory dir, string name, string recipe, int seed, TrainedOn? trainedOn = null)
    {
        var data = trainedOn ?? TrainedOn.Mnist;
        string path = dir.File(name);
        using var model = ModelZoo.Get(recipe).Create(data.Input, data.Classes);
        model.Build(Backends.Get("cpu"), 8, seed);
        ModelCheckpoint.Save(path, model, new Dictionary<string, string>(data.ToMetadata()) { ["epoch"] = "1" });
        return path;
    }
}
