using System.Globalization;
using System.Text.Json;
using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Data;
using GpuConvNet.Datasets;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;
using GpuConvNet.Reports;
using GpuConvNet.Tests.Data;
using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.Training;
using ElasticDistortion = GpuConvNet.Kernels.ElasticDistortion;

namespace GpuConvNet.Tests.Training;

/// <summary>
/// <see cref="TrainingRun"/> on a tiny synthetic MNIST on the CPU accelerator: the files of every completed epoch,
/// stopping mid-epoch without losing or misreporting the last completed one, and runs that repeat bit for bit.
/// </summary>
[TestClass]
public sealed class TrainingRunTests
{
    private static readonly Dataset Data = TinyMnist.Create(train: 600, test: 100);

    // 540 training images (10 % held out) in batches of 32: 17 batches per epoch, a progress report every 2.
    private static TrainingSettings Settings(int epochs, int seed = 1) =>
        new(epochs, 32, OptimizerKind.Adam, new LearningRateSchedule(ScheduleKind.Step, 2e-3, epochs), seed, LogEvery: 2);

    [TestMethod]
    public void TwoEpochs_WriteACheckpointOfEpoch2AndAHistoryOfTwoRows()
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        var done = new List<EpochRecord>();
        var reports = new List<TrainingProgress>();

        var result = TrainingRun.Run(cpu, ModelZoo.Get("mlp"), Settings(2), Data, 0.1, dir.Path, new InlineProgress(reports.Add), ReportsInto(dir.Path, done.Add), CancellationToken.None);

        Assert.IsFalse(result.Stopped);
        Assert.AreEqual("mlp", result.Model);
        Assert.AreEqual(dir.File("mlp.safetensors"), result.Checkpoint);
        CollectionAssert.AreEqual(new[] { 1, 2 }, result.History.Select(h => h.Epoch).ToArray());
        CollectionAssert.AreEqual(result.History.ToArray(), done.ToArray(), "epochDone gets each record as it completes");
        Assert.AreEqual(2e-3, result.History[0].LearningRate, 1e-12);
        Assert.AreEqual(2e-3 * LearningRateSchedule.StepGamma, result.History[1].LearningRate, 1e-12);
        foreach (var record in result.History)
        {
            Assert.IsTrue(double.IsFinite(record.TrainLoss) && double.IsFinite(record.ValidationLoss), $"epoch {record.Epoch}: finite losses");
            Assert.IsTrue(record.ValidationAccuracy is >= 0 and <= 1, $"epoch {record.Epoch}: validation accuracy {record.ValidationAccuracy}");
        }
        // Reports every 2 batches and at the last (17th): 9 per epoch.
        Assert.HasCount(18, reports);
        Assert.AreEqual(17, reports[^1].Batch);
        Assert.AreEqual(17, reports[^1].Batches);
        Assert.AreEqual(100, result.Test.Predictions!.Length);
        Assert.AreEqual(100L, Enumerable.Range(0, 10).Sum(c => Enumerable.Range(0, 10).Sum(p => result.Confusion[c, p])));

        Assert.AreEqual("2", CheckpointEpoch(result.Checkpoint));
        AssertHistoryFiles(dir, epochs: 2);
        AssertTestResultIsTheCheckpoints(cpu, result, batch: 32);
    }

    [TestMethod]
    public void CancelledDuringEpoch2_StopsAndKeepsEpoch1AsTheCheckpointTheHistoryAndTheTestResult()
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        using var stop = new CancellationTokenSource();
        var reports = new List<TrainingProgress>();
        var progress = new InlineProgress(p =>
        {
            reports.Add(p);
            if (p.Epoch == 2)
            {
                stop.Cancel();
            }
        });

        var result = TrainingRun.Run(cpu, ModelZoo.Get("mlp"), Settings(3), Data, 0.1, dir.Path, progress, ReportsInto(dir.Path), stop.Token);

        Assert.IsTrue(result.Stopped);
        Assert.HasCount(1, result.History);
        Assert.AreEqual(1, result.History[0].Epoch);
        // Cancelled at epoch 2's first report (after batch 2): batch 3 never started, epoch 3 never began.
        Assert.AreEqual(2, reports[^1].Batch);
        Assert.AreEqual(2, reports[^1].Epoch);
        Assert.IsTrue(File.Exists(result.Checkpoint), "the checkpoint of epoch 1 stays");
        Assert.AreEqual("1", CheckpointEpoch(result.Checkpoint));
        AssertHistoryFiles(dir, epochs: 1);

        // The checkpoint holds epoch 1's weights exactly — not the two extra steps of epoch 2 — as a 1-epoch run shows.
        using var oneEpoch = new TempDirectory();
        var reference = TrainingRun.Run(cpu, ModelZoo.Get("mlp"), Settings(3) with { Epochs = 1 }, Data, 0.1, oneEpoch.Path, null, ReportsInto(oneEpoch.Path), CancellationToken.None);
        AssertSameWeights(reference.Checkpoint, result.Checkpoint);
        // And what the run reports on the test set is that checkpoint, which 'eval' will find again.
        AssertTestResultIsTheCheckpoints(cpu, result, batch: 32);
    }

    [TestMethod]
    public void CancelledDuringEpoch1_StopsWithNoHistoryAndWritesNoEpochFiles()
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        using var stop = new CancellationTokenSource();
        var progress = new InlineProgress(_ => stop.Cancel());

        var result = TrainingRun.Run(cpu, ModelZoo.Get("mlp"), Settings(2), Data, 0.1, dir.Path, progress, ReportsInto(dir.Path), stop.Token);

        Assert.IsTrue(result.Stopped);
        Assert.IsEmpty(result.History);
        Assert.IsFalse(File.Exists(result.Checkpoint), "no epoch completed, so no checkpoint claims one");
        Assert.IsFalse(File.Exists(dir.File("history.csv")));
        Assert.IsFalse(File.Exists(dir.File("learning-curves.svg")));
    }

    [TestMethod]
    [DataRow("mlp")]
    [DataRow("mlp-small")]
    [DataRow("lenet5")]
    [DataRow(DropoutModel)]
    public void SameSeed_SameAccelerator_GivesBitIdenticalWeightsAndHistory_AnotherSeedDoesNot(string model)
    {
        // The CPU accelerator runs groups on several threads; the training kernels are written so that no float sum
        // depends on which finishes first (the only atomics count correct predictions, in integers), so a seed
        // names a run exactly: split, initialisation, shuffling, random shifts, and (DropoutModel) dropout masks.
        var cpu = Backends.Get("cpu");
        var settings = Settings(1, seed: 11) with { MaxShift = 1 };
        var data = TinyMnist.Create(train: 300, test: 20);
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        using var other = new TempDirectory();

        var a = TrainingRun.Run(cpu, Recipe(model), settings, data, 0.1, first.Path, null, ReportsInto(first.Path), CancellationToken.None);
        var b = TrainingRun.Run(cpu, Recipe(model), settings, data, 0.1, second.Path, null, ReportsInto(second.Path), CancellationToken.None);
        var c = TrainingRun.Run(cpu, Recipe(model), settings with { Seed = 12 }, data, 0.1, other.Path, null, ReportsInto(other.Path), CancellationToken.None);

        AssertSameWeights(a.Checkpoint, b.Checkpoint);
        Assert.AreEqual(a.History[0].TrainLoss, b.History[0].TrainLoss, 0.0, "train loss");
        Assert.AreEqual(a.History[0].ValidationLoss, b.History[0].ValidationLoss, 0.0, "validation loss");
        Assert.AreEqual(a.Test.Loss, b.Test.Loss, 0.0, "test loss");
        CollectionAssert.AreEqual(TinyMnist.Bits(a.Test.Logits!), TinyMnist.Bits(b.Test.Logits!), "test logits");

        var x = Tensors(a.Checkpoint);
        var y = Tensors(c.Checkpoint);
        foreach (var (name, values) in x)
        {
            int same = values.Zip(y[name]).Count(p => p.First == p.Second);
            Assert.IsLessThan(values.Length / 10 + 1, same, $"{model} {name}: seeds 11 and 12 share {same} of {values.Length} values");
        }
    }

    // The zoo's dropout models (cnn, cnn-plus) take minutes per epoch on the CPU accelerator; this one takes a second.
    private const string DropoutModel = "mlp-dropout";

    private static ModelRecipe Recipe(string name) => name == DropoutModel
        ? new ModelRecipe(name, "784-64-dropout(0.5)-10", (input, classes) => new Model(name, input,
            [new Flatten(), new Dense(64, relu: true), new Dropout(0.5f), new Dense(classes)], LossKind.SoftmaxCrossEntropy), ModelZoo.Get("mlp").Defaults)
        : ModelZoo.Get(name);

    private static string CheckpointEpoch(string path)
    {
        var (model, metadata) = LoadedModel.Open(path, Backends.Get("cpu"));
        model.Dispose();
        return metadata["epoch"];
    }

    private static void AssertHistoryFiles(TempDirectory dir, int epochs)
    {
        var csv = File.ReadAllLines(dir.File("history.csv"));
        Assert.HasCount(1 + epochs, csv, "history.csv: a header and one row per completed epoch");
        StringAssert.StartsWith(csv[0], "epoch,train_loss,");
        for (int e = 1; e <= epochs; e++)
        {
            StringAssert.StartsWith(csv[e], $"{e},");
        }
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("history.json")));
        Assert.AreEqual(epochs, json.RootElement.GetArrayLength(), "history.json");
        Assert.AreEqual(epochs, json.RootElement[epochs - 1].GetProperty("epoch").GetInt32());
        string svg = File.ReadAllText(dir.File("learning-curves.svg"));
        StringAssert.Contains(svg, "<svg");
        StringAssert.Contains(svg, "</svg>");
        Assert.IsFalse(Directory.EnumerateFiles(dir.Path, "*.tmp").Any(), "no temp files left behind");
    }

    /// <summary>The run's test evaluation is exactly what the checkpoint it leaves gives.</summary>
    private static void AssertTestResultIsTheCheckpoints(Accelerator accelerator, TrainingRunResult result, int batch)
    {
        var (model, _) = LoadedModel.Open(result.Checkpoint, accelerator);
        using (model)
        {
            using var test = DeviceDataset.From(accelerator, Data.Test, Data.Normalization);
            using var evaluator = new Evaluator(model, batch);
            var again = evaluator.Evaluate(test, keepOutputs: true);
            CollectionAssert.AreEqual(TinyMnist.Bits(again.Logits!), TinyMnist.Bits(result.Test.Logits!),
                "the test logits the run reports are those of the checkpoint it leaves");
            Assert.AreEqual(again.Accuracy, result.Test.Accuracy, 0.0);
        }
    }

    private static Dictionary<string, float[]> Tensors(string path)
    {
        var file = SafeTensors.Read(path);
        return file.Entries.ToDictionary(e => e.Name, e => file.ReadFloats(e.Name), StringComparer.Ordinal);
    }

    private static void AssertSameWeights(string expectedPath, string actualPath)
    {
        var expected = Tensors(expectedPath);
        var actual = Tensors(actualPath);
        CollectionAssert.AreEquivalent(expected.Keys.ToArray(), actual.Keys.ToArray());
        foreach (var (name, values) in expected)
        {
            CollectionAssert.AreEqual(TinyMnist.Bits(values), TinyMnist.Bits(actual[name]), $"tensor {name}");
        }
    }

    [TestMethod]
    public void TheReports_AreWrittenBeforeTheCheckpoint_SoHistoryNeverLagsIt()
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        var seenCheckpointEpochs = new List<string>();
        TrainingRun.Run(cpu, ModelZoo.Get("mlp"), Settings(2), Data, 0.1, dir.Path, null, ReportsInto(dir.Path, record =>
        {
            // When the reports of epoch e are written, the checkpoint still holds epoch e − 1 (none before epoch 1).
            string path = dir.File("mlp.safetensors");
            seenCheckpointEpochs.Add(File.Exists(path) ? SafeTensors.Read(path).Metadata["epoch"] : "none");
            Assert.HasCount(record.Epoch + 1, File.ReadAllLines(dir.File("history.csv")), "the history already has this epoch");
        }), CancellationToken.None);
        CollectionAssert.AreEqual(new[] { "none", "1" }, seenCheckpointEpochs);
    }

    [TestMethod]
    public void ARun_DeletesTheTemporaryFilesOfAKilledEarlierRun_AndNothingElse()
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        string stale = dir.File($".mlp.safetensors.{Guid.NewGuid():N}.tmp");
        string fresh = dir.File($".history.csv.{Guid.NewGuid():N}.tmp");
        string notOurs = dir.File(".notes.tmp");
        foreach (var file in new[] { stale, fresh, notOurs })
        {
            File.WriteAllText(file, "half-written");
        }
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-1));
        File.SetLastWriteTimeUtc(notOurs, DateTime.UtcNow.AddHours(-1));

        TrainingRun.Run(cpu, ModelZoo.Get("mlp"), Settings(1), Data, 0.1, dir.Path, null, ReportsInto(dir.Path), CancellationToken.None);

        Assert.IsFalse(File.Exists(stale), "an hour-old temporary of ours is a killed write's: deleted");
        Assert.IsTrue(File.Exists(fresh), "a fresh one may be a live writer's: kept");
        Assert.IsTrue(File.Exists(notOurs), "a file that is not ours: kept");
    }

    [TestMethod]
    [DataRow(0f, 0f, 0f)]       // whole-pixel shifts (Gather)
    [DataRow(10f, 0.1f, 0f)]    // rotations, scales and sub-pixel shifts (AffineGather)
    [DataRow(0f, 0f, 8f)]       // elastic distortions and sub-pixel shifts (Elastic, then AffineGather with the field)
    public void TwoEpochs_ThenResumeToFour_EqualsFourEpochsInOneGo_BitForBit(float rotation, float scale, float elasticAlpha)
    {
        var cpu = Backends.Get("cpu");
        using var whole = new TempDirectory();
        using var split = new TempDirectory();
        var settings = Settings(4) with
        {
            Optimizer = OptimizerKind.Adam, MaxShift = 1, MaxRotation = rotation, MaxScale = scale, Elastic = new ElasticDistortion(elasticAlpha, 3f),
        };
        var inOneGo = TrainingRun.Run(cpu, ModelZoo.Get("lenet5"), settings, Data, 0.1, whole.Path, null, ReportsInto(whole.Path), CancellationToken.None);
        var firstHalf = TrainingRun.Run(cpu, ModelZoo.Get("lenet5"), settings with { Epochs = 2, Schedule = settings.Schedule with { Epochs = 2 } },
            Data, 0.1, split.Path, null, ReportsInto(split.Path), CancellationToken.None);
        Assert.HasCount(2, firstHalf.History);

        var resumed = TrainingRun.Resume(cpu, RunToResume.Open(firstHalf.Checkpoint, 4), Data, null, ReportsInto(split.Path), CancellationToken.None);

        Assert.HasCount(4, resumed.History);
        // Every epoch's losses and accuracies, the resumed ones included (the seconds are the clock's).
        CollectionAssert.AreEqual(inOneGo.History.Select(h => h with { Seconds = 0, ImagesPerSecond = 0 }).ToArray(),
            resumed.History.Select(h => h with { Seconds = 0, ImagesPerSecond = 0 }).ToArray(), "epoch records");
        var expected = SafeTensors.Read(inOneGo.Checkpoint);
        var actual = SafeTensors.Read(resumed.Checkpoint);
        Assert.IsTrue(expected.Entries.Any(e => e.Name.StartsWith("optimizer.", StringComparison.Ordinal)), "the last checkpoint holds the optimiser's state");
        foreach (var entry in expected.Entries)
        {
            CollectionAssert.AreEqual(TinyMnist.Bits(expected.ReadFloats(entry.Name)), TinyMnist.Bits(actual.ReadFloats(entry.Name)), entry.Name);
        }
        Assert.AreEqual(inOneGo.Test.Accuracy, resumed.Test.Accuracy);
    }

    [TestMethod]
    public void Resume_FromTheBestCheckpoint_SaysWhichOneToUse()
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        var run = TrainingRun.Run(cpu, ModelZoo.Get("mlp"), Settings(1), Data, 0.1, dir.Path, null, ReportsInto(dir.Path), CancellationToken.None);

        var error = Assert.ThrowsExactly<UserInputException>(() => RunToResume.Open(run.BestCheckpoint, 2));
        StringAssert.Contains(error.Message, "cannot be resumed: it holds no training state (resume from the run's last checkpoint");
        var done = Assert.ThrowsExactly<UserInputException>(() => RunToResume.Open(run.Checkpoint, null));
        StringAssert.Contains(done.Message, "holds epoch 1 of 1: nothing is left to train; pass --epochs to train further");
    }

    [TestMethod]
    public void ARunToResume_GoesOnWithItsOwnSettings_ItsScheduleSpanningTheNewTotal()
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        var settings = Settings(1, seed: 5) with { Schedule = new LearningRateSchedule(ScheduleKind.Cosine, 3e-3, 1), MaxShift = 1, MaxRotation = 7.5f, MaxScale = 0.05f,
            Elastic = new ElasticDistortion(6.5f, 2.5f) };
        var first = TrainingRun.Run(cpu, ModelZoo.Get("mlp"), settings, Data, 0.2, dir.Path, null, null, CancellationToken.None);

        var run = RunToResume.Open(first.Checkpoint, 3);

        Assert.AreEqual(settings with { Epochs = 3, Schedule = settings.Schedule with { Epochs = 3 } }, run.Settings);
        Assert.AreEqual(1, run.EpochsDone);
        Assert.AreEqual(0.2, run.Point.ValidationFraction);
        Assert.AreEqual("mlp", run.Recipe.Name);
        Assert.AreEqual(dir.Path, run.Directory);
        Assert.AreEqual(Data.Normalization, run.TrainedOn.Normalization);
        var resumed = TrainingRun.Resume(cpu, run, Data, null, null, CancellationToken.None);
        Assert.AreEqual(run.Settings.Schedule.At(3), resumed.History[^1].LearningRate, 1e-15, "epoch 3's rate on a cosine over 3 epochs");
        Assert.AreNotEqual(settings.Schedule.At(3), resumed.History[^1].LearningRate, "not the rate of the cosine over 1 epoch it was started with");
    }

    [TestMethod]
    public void ACheckpointFromBeforeRotationsAndScales_ResumesWithoutThem()
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        var first = TrainingRun.Run(cpu, ModelZoo.Get("mlp"), Settings(1) with { MaxShift = 1 }, Data, 0.2, dir.Path, null, null, CancellationToken.None);
        // The checkpoint as an older version wrote it: its metadata without the augmentation's keys.
        var bytes = File.ReadAllBytes(first.Checkpoint);
        int length = checked((int)BitConverter.ToInt64(bytes, 0));
        var header = System.Text.Json.Nodes.JsonNode.Parse(bytes.AsSpan(8, length))!.AsObject();
        var metadata = header[SafeTensors.MetadataKey]!.AsObject();
        Assert.IsTrue(metadata.Remove("resume.rotate") && metadata.Remove("resume.scale") && metadata.Remove("resume.elastic_alpha")
            && metadata.Remove("resume.elastic_sigma"), "this version writes all four");
        var older = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        var file = SafeTensors.Parse([.. BitConverter.GetBytes((long)older.Length), .. older, .. bytes.AsSpan(8 + length)], "older.safetensors");

        var settings = ResumePoint.From(file, "older.safetensors").Settings;

        Assert.AreEqual((1, 0f, 0f, default(ElasticDistortion)), (settings.MaxShift, settings.MaxRotation, settings.MaxScale, settings.Elastic));
    }

    [TestMethod]
    public void Rotations_ChangeWhatIsTrained_FromShiftsAlone()
    {
        var cpu = Backends.Get("cpu");
        using var shifted = new TempDirectory();
        using var turned = new TempDirectory();
        var settings = Settings(1, seed: 3) with { MaxShift = 1 };
        var a = TrainingRun.Run(cpu, ModelZoo.Get("mlp"), settings, Data, 0.1, shifted.Path, null, null, CancellationToken.None);
        var b = TrainingRun.Run(cpu, ModelZoo.Get("mlp"), settings with { MaxRotation = 10f }, Data, 0.1, turned.Path, null, null, CancellationToken.None);

        var first = SafeTensors.Read(a.Checkpoint).ReadFloats("fc1.weight");
        var second = SafeTensors.Read(b.Checkpoint).ReadFloats("fc1.weight");
        CollectionAssert.AreNotEqual(TinyMnist.Bits(first), TinyMnist.Bits(second), "the rotated batches trained other weights");
    }

    [TestMethod]
    public void EveryEpoch_KeepsTheLastCheckpoint_AndTheBestByValidationAccuracy()
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        var result = TrainingRun.Run(cpu, ModelZoo.Get("mlp"), Settings(3), Data, 0.1, dir.Path, null, ReportsInto(dir.Path), CancellationToken.None);

        var last = SafeTensors.Read(result.Checkpoint).Metadata;
        var best = SafeTensors.Read(result.BestCheckpoint).Metadata;
        Assert.AreEqual(dir.File("mlp.best.safetensors"), result.BestCheckpoint);
        Assert.AreEqual("last", last["checkpoint"]);
        Assert.AreEqual("3", last["epoch"]);
        var bestEpoch = result.History.First(h => h.ValidationAccuracy == result.History.Max(r => r.ValidationAccuracy));
        Assert.AreEqual(bestEpoch.Epoch.ToString(CultureInfo.InvariantCulture), best["epoch"], "the first epoch with the highest validation accuracy");
        StringAssert.StartsWith(best["checkpoint"], "best (validation accuracy ");
        Assert.AreEqual("mlp", ModelCheckpoint.RecipeOf(result.BestCheckpoint).Name, "the best checkpoint opens like any other");
    }

    [TestMethod]
    [DataRow(29, "lenet5", "takes 28×28")]
    [DataRow(27, "mlp", "takes 28×28")]
    public void TestImagesOfAnotherSize_AreRefusedBeforeTraining_NamingTheFile(int side, string model, string expected)
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        var odd = new LabeledImages(new IdxImages(20, side, side, new byte[20 * side * side]), new byte[20]);
        var data = Data with { Test = odd, TestSource = "/data/odd/t10k-images-idx3-ubyte.gz" };
        var error = Assert.ThrowsExactly<UserInputException>(() =>
            TrainingRun.Run(cpu, ModelZoo.Get(model), Settings(1), data, 0.1, dir.Path, null, ReportsInto(dir.Path), CancellationToken.None));
        StringAssert.StartsWith(error.Message, $"/data/odd/t10k-images-idx3-ubyte.gz: its images are {side}×{side}, but this {model} {expected}");
        Assert.IsFalse(File.Exists(dir.File(model + ".safetensors")), "nothing trained");
    }

    [TestMethod]
    public void AHugeLearningRate_StopsTheRunAtOnce_NamingEpochAndBatch_AndSavesNothing()
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        var settings = Settings(3) with { Optimizer = OptimizerKind.Sgd, Schedule = new LearningRateSchedule(ScheduleKind.Constant, 1e6, 3), LogEvery = 2 };
        var error = Assert.ThrowsExactly<TrainingDivergedException>(() =>
            TrainingRun.Run(cpu, ModelZoo.Get("mlp"), settings, Data, 0.1, dir.Path, null, ReportsInto(dir.Path), CancellationToken.None));
        Assert.AreEqual(1, error.Epoch, error.Message);
        StringAssert.Contains(error.Message, $"training diverged in epoch 1 by batch {error.Batch} of ");
        StringAssert.Contains(error.Message, "nothing was saved. Try a smaller --lr (this epoch's was 1E+06)");
        Assert.IsFalse(File.Exists(dir.File("mlp.safetensors")), "no checkpoint of a diverged epoch");
        Assert.IsFalse(File.Exists(dir.File("history.csv")));
    }

    /// <summary>What the command line tells of each epoch: the report files, and <paramref name="done"/>.</summary>
    private static IEpochSink ReportsInto(string directory, Action<EpochRecord>? done = null) =>
        new EpochSinks(new RunReportWriter(directory, "test run"), EpochSinks.From(done ?? (_ => { })));
}

/// <summary>Reports on the calling thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
public sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    /// <inheritdoc />
    public void Report(TrainingProgress value) => report(value);
}
