using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Data;
using GpuConvNet.Inference;
using GpuConvNet.Kernels;
using GpuConvNet.Nn;
using GpuConvNet.Tests.Data;
using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.Training;

namespace GpuConvNet.Tests.Checkpoints;

/// <summary>
/// Model checkpoints end to end: a trained model saved with <see cref="ModelCheckpoint.Save"/> and reopened with
/// <see cref="LoadedModel.Open"/> has the same parameters and gives the same logits, on the same backend and on
/// another; a checkpoint that does not fit the model it names is refused with a message saying how.
/// </summary>
[TestClass]
public sealed class ModelCheckpointTests
{
    private const int Batch = 16;

    private static readonly Dictionary<string, string> SavedMetadata = new() { ["epoch"] = "3", ["note"] = "round trip" };

    [TestMethod]
    [DataRow(float.NaN)]
    [DataRow(float.PositiveInfinity)]
    public void Load_OfNonFiniteWeights_IsRefusedNamingTheTensor(float poison)
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        string path = dir.File("diverged.safetensors");
        using (var model = ModelZoo.Get("mlp").Create())
        {
            model.Build(cpu, 4, seed: 1);
            model.Parameters.First().Value.Fill(poison);
            ModelCheckpoint.Save(path, model, new Dictionary<string, string>());
        }
        using var fresh = ModelZoo.Get("mlp").Create();
        fresh.Build(cpu, 4, seed: 2);

        var error = Assert.ThrowsExactly<UserInputException>(() => ModelCheckpoint.Load(path, fresh));

        StringAssert.StartsWith(error.Message, $"checkpoint {path}: fc1.weight[0] is {poison}; a model with non-finite weights cannot predict");
    }

    [TestMethod]
    [DataRow("mlp")]
    [DataRow("lenet5")]
    [DataRow("mlp-small")]
    public void SaveThenOpen_OnTheCpuAccelerator_RestoresEveryParameterBitForBitAndTheLogits(string name)
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        string path = dir.File(name + ".safetensors");
        var images = TinyMnist.Set(40, new Random(3));
        using var original = TrainedModel(name, cpu);
        var weights = TinyMnist.Weights(original);
        var logits = Logits(original, images);
        ModelCheckpoint.Save(path, original, SavedMetadata);

        var (loaded, metadata) = LoadedModel.Open(path, cpu);
        using (loaded)
        {
            Assert.AreEqual(name, loaded.Name);
            Assert.AreEqual(name, metadata[ModelCheckpoint.ModelKey]);
            Assert.AreEqual("3", metadata["epoch"]);
            Assert.AreEqual("round trip", metadata["note"]);
            Assert.AreEqual(original.ParameterCount.ToString(System.Globalization.CultureInfo.InvariantCulture), metadata["parameters"]);
            AssertSameWeights(weights, TinyMnist.Weights(loaded));
            // Same backend, same batches: the same kernels on the same numbers, so the same bits.
            CollectionAssert.AreEqual(TinyMnist.Bits(logits), TinyMnist.Bits(Logits(loaded, images)), $"{name}: logits after reloading");
        }
    }

    [TestMethod]
    [DataRow("mlp")]
    [DataRow("lenet5")]
    public void SavedOnTheCpu_OpenedOnOpenCl_HasTheSameParametersAndLogitsWithin1e5(string name)
    {
        var cpu = Backends.Get("cpu");
        var openCl = Backends.Get("opencl");
        using var dir = new TempDirectory();
        string path = dir.File(name + ".safetensors");
        var images = TinyMnist.Set(40, new Random(4));
        using var original = TrainedModel(name, cpu);
        var weights = TinyMnist.Weights(original);
        var cpuLogits = Logits(original, images);
        ModelCheckpoint.Save(path, original, SavedMetadata);

        var (loaded, metadata) = LoadedModel.Open(path, openCl);
        using (loaded)
        {
            Assert.AreSame(openCl, loaded.Accelerator);
            Assert.AreEqual("3", metadata["epoch"]);
            AssertSameWeights(weights, TinyMnist.Weights(loaded));
            var openClLogits = Logits(loaded, images);
            Assert.HasCount(cpuLogits.Length, openClLogits);
            for (int i = 0; i < cpuLogits.Length; i++)
            {
                Assert.AreEqual(cpuLogits[i], openClLogits[i], 1e-5f, $"{name}: logit {i % 10} of image {i / 10}, CPU vs OpenCL");
            }
            // The predicted digits agree wherever the top two logits are further apart than the backends can differ.
            var cpuDigits = Predictor.Predict(original, Normalization.Mnist, Prepared(images)).Select(p => p.Class).ToArray();
            var openClDigits = Predictor.Predict(loaded, Normalization.Mnist, Prepared(images)).Select(p => p.Class).ToArray();
            int compared = 0;
            for (int n = 0; n < images.Count; n++)
            {
                var row = cpuLogits.AsSpan(n * 10, 10).ToArray().OrderDescending().ToArray();
                if (row[0] - row[1] > 1e-4f)
                {
                    Assert.AreEqual(cpuDigits[n], openClDigits[n], $"{name}: digit of image {n}");
                    compared++;
                }
            }
            Assert.IsGreaterThanOrEqualTo(images.Count / 2, compared, "most images have a clear winner, so the digits were really compared");
        }
    }

    [TestMethod]
    public void Open_MlpCheckpointWhoseMetadataSaysLenet5_NamesEveryMismatch()
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        string path = dir.File("relabelled.safetensors");
        SaveUntrained("mlp", cpu, path);
        Rewrite(path, metadata: m => m[ModelCheckpoint.ModelKey] = "lenet5");

        var error = Assert.ThrowsExactly<UserInputException>(() => LoadedModel.Open(path, cpu));

        StringAssert.Contains(error.Message, $"checkpoint {path} does not fit this model (it was saved from model 'lenet5')");
        StringAssert.Contains(error.Message, "missing conv1.weight");
        StringAssert.Contains(error.Message, "missing conv2.bias");
        StringAssert.Contains(error.Message, "fc1.weight has shape [128, 784] but the model expects [120, 400]");
        StringAssert.Contains(error.Message, "fc3.weight has shape [16, 64] but the model expects [10, 84]");
        StringAssert.Contains(error.Message, "unexpected fc4.weight");
        StringAssert.Contains(error.Message, "unexpected fc4.bias");
        Assert.DoesNotContain("\n", error.Message, "one line");
    }

    [TestMethod]
    public void Open_CheckpointWithATensorReshaped_NamesTheTensorAndBothShapes()
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        string path = dir.File("reshaped.safetensors");
        SaveUntrained("mlp", cpu, path);
        // Same element count, transposed shape: only the shape check can catch it.
        Rewrite(path, tensor: t => t.Name == "fc2.weight" ? new CheckpointTensor(t.Name, [128, 64], t.Data) : t);

        var error = Assert.ThrowsExactly<UserInputException>(() => LoadedModel.Open(path, cpu));

        StringAssert.Contains(error.Message, "(it was saved from model 'mlp'): fc2.weight has shape [128, 64] but the model expects [64, 128]; load it with the model it was trained with");
        Assert.DoesNotContain("missing", error.Message);
        Assert.DoesNotContain("unexpected", error.Message);
    }

    [TestMethod]
    public void Open_CheckpointNamingAnUnknownModel_SaysWhichAndListsTheModels()
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        string path = dir.File("unknown.safetensors");
        SaveUntrained("mlp", cpu, path);
        Rewrite(path, metadata: m => m[ModelCheckpoint.ModelKey] = "resnet50");

        var error = Assert.ThrowsExactly<UserInputException>(() => LoadedModel.Open(path, cpu));

        StringAssert.Contains(error.Message, $"{path} was saved from model 'resnet50': no model 'resnet50': choose one of mlp-small, mlp, lenet5, cnn, cnn-plus");
    }

    [TestMethod]
    public void Open_CheckpointWithoutAModelName_SaysItWasNotWrittenByTrain()
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        string path = dir.File("anonymous.safetensors");
        SaveUntrained("mlp", cpu, path);
        Rewrite(path, metadata: m => m.Remove(ModelCheckpoint.ModelKey));

        var error = Assert.ThrowsExactly<UserInputException>(() => LoadedModel.Open(path, cpu));

        StringAssert.Contains(error.Message, $"{path} has no 'model' in its metadata");
    }

    /// <summary>
    /// <paramref name="name"/> built with seed 5 (not the seed 0 <see cref="LoadedModel"/> builds with, so a load that
    /// copied nothing would show) and trained for four Adam steps on tiny synthetic data.
    /// </summary>
    private static Model TrainedModel(string name, Accelerator accelerator)
    {
        var model = ModelZoo.Get(name).Create();
        model.Build(accelerator, Batch, seed: 5);
        using var data = DeviceDataset.From(accelerator, TinyMnist.Set(4 * Batch, new Random(2)), Normalization.Mnist);
        var settings = new TrainingSettings(1, Batch, OptimizerKind.Adam, new LearningRateSchedule(ScheduleKind.Constant, 1e-2, 1), Seed: 5);
        using var trainer = new Trainer(model, settings);
        trainer.TrainEpoch(data, 1, null, CancellationToken.None);
        Assert.AreEqual(4, trainer.Steps);
        return model;
    }

    private static void SaveUntrained(string name, Accelerator accelerator, string path)
    {
        using var model = ModelZoo.Get(name).Create();
        model.Build(accelerator, Batch, seed: 1);
        ModelCheckpoint.Save(path, model, SavedMetadata);
    }

    /// <summary>Every logit of <paramref name="set"/>'s images, evaluated in batches of <see cref="Batch"/>.</summary>
    private static float[] Logits(Model model, LabeledImages set)
    {
        using var data = DeviceDataset.From(model.Accelerator!, set, Normalization.Mnist);
        using var evaluator = new Evaluator(model, Batch);
        return evaluator.Evaluate(data, keepOutputs: true).Logits!;
    }

    private static List<byte[]> Prepared(LabeledImages set) => Enumerable.Range(0, set.Count).Select(i => set.Image(i).ToArray()).ToList();

    private static void AssertSameWeights(Dictionary<string, float[]> expected, Dictionary<string, float[]> actual)
    {
        CollectionAssert.AreEquivalent(expected.Keys.ToArray(), actual.Keys.ToArray(), "parameter names");
        foreach (var (name, values) in expected)
        {
            CollectionAssert.AreEqual(TinyMnist.Bits(values), TinyMnist.Bits(actual[name]), $"parameter {name}");
        }
    }

    /// <summary>Rewrites the checkpoint at <paramref name="path"/> with its metadata and/or tensors changed.</summary>
    private static void Rewrite(string path, Action<Dictionary<string, string>>? metadata = null, Func<CheckpointTensor, CheckpointTensor>? tensor = null)
    {
        var file = SafeTensors.Read(path);
        var map = new Dictionary<string, string>(file.Metadata);
        metadata?.Invoke(map);
        var tensors = file.Entries
            .Select(e => new CheckpointTensor(e.Name, e.Shape.Select(d => (int)d).ToArray(), file.ReadFloats(e.Name)))
            .Select(t => tensor?.Invoke(t) ?? t)
            .ToList();
        SafeTensors.Save(path, new Checkpoint(tensors, map));
    }
}
