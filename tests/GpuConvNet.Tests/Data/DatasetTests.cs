using System.Text;
using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Data;
using GpuConvNet.Datasets;
using GpuConvNet.Imaging;
using GpuConvNet.Kernels;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;
using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.Training;

namespace GpuConvNet.Tests.Data;

/// <summary>
/// Data sets beyond MNIST, on small folders written by the tests: image folders (with and without test/, cached,
/// with bad pictures, mixed sizes and every layout mistake), IDX sets with class names, the shapes generator, and
/// models that adapt to the images' size and the number of classes.
/// </summary>
[TestClass]
public sealed class DatasetTests
{
    [TestMethod]
    public void ImageFolder_WithTrainAndTest_HasTheClassesByName_PreparedOnceAndCached()
    {
        using var dir = new TempDirectory();
        HandDrawnShapes.Write(dir.File("shapes"), perClass: 10, seed: 3);
        var notes = new List<string>();
        var options = Options(dir) with { Note = notes.Add };

        var data = DatasetCatalog.Load("folder:" + dir.File("shapes"), options);

        CollectionAssert.AreEqual(HandDrawnShapes.Classes.ToArray(), data.ClassNames.ToArray());
        Assert.AreEqual((6 * 8, 6 * 2), (data.Train.Count, data.Test.Count), "8 training and 2 test pictures of each shape");
        Assert.AreEqual((28, 28), (data.Train.Rows, data.Train.Cols));
        CollectionAssert.AreEqual(Enumerable.Repeat(8, 6).ToArray(), ClassCounts.Count(data.Train.Labels, 6));
        Assert.AreEqual("resize", data.Preprocessing.Name);
        Assert.IsNull(data.HeldOut);
        Assert.Contains("the images are 64×64; each was prepared as 28×28 (resize)", notes);
        // The same picture prepared alone gives the same image: one path for training and predictions.
        string first = Directory.GetFiles(dir.File("shapes/train/circle")).Order(StringComparer.Ordinal).First();
        CollectionAssert.AreEqual(InputImage.Read(first, data.Preprocessing), data.Train.Image(0).ToArray());

        notes.Clear();
        var again = DatasetCatalog.Load("folder:" + dir.File("shapes"), options);
        Assert.IsEmpty(notes, "the second load reads the cache: nothing is prepared again");
        CollectionAssert.AreEqual(data.Train.Images, again.Train.Images);

        File.SetLastWriteTimeUtc(first, DateTime.UtcNow.AddMinutes(-5));
        DatasetCatalog.Load("folder:" + dir.File("shapes"), options);
        Assert.HasCount(1, notes, "a changed file is a new cache entry: prepared again");
    }

    [TestMethod]
    public void ImageFolder_WithDigitPreprocessing_CropsAndCentresEachPictureAsMnist()
    {
        using var dir = new TempDirectory();
        HandDrawnShapes.Write(dir.File("shapes"), perClass: 5, seed: 4);

        var data = DatasetCatalog.Load("folder:" + dir.File("shapes"), Options(dir) with { Preprocessing = Preprocessing.Digit });

        string first = Directory.GetFiles(dir.File("shapes/train/circle")).Order(StringComparer.Ordinal).First();
        CollectionAssert.AreEqual(MnistPreprocessor.Prepare(ImageFile.Read(first), first), data.Train.Image(0).ToArray());
        var (cx, cy) = MnistPreprocessor.CentreOfMass(data.Train.Image(0).ToArray().Select(p => (float)p).ToArray(), 28, 28);
        Assert.AreEqual(14, cx, 0.5);
        Assert.AreEqual(14, cy, 0.5);
    }

    [TestMethod]
    public void ImageFolder_WithoutTest_HoldsOutAShareOfEachClass_TheSameForTheSameSeed()
    {
        using var dir = new TempDirectory();
        HandDrawnShapes.Write(dir.File("all"), perClass: 12, seed: 1);
        // One folder per class, no split: move train/ and test/ together.
        foreach (string shape in HandDrawnShapes.Classes)
        {
            Directory.CreateDirectory(dir.File($"flat/{shape}"));
            foreach (var file in Directory.GetFiles(dir.File($"all/train/{shape}")).Concat(Directory.GetFiles(dir.File($"all/test/{shape}"))))
            {
                File.Copy(file, dir.File($"flat/{shape}/{Path.GetFileName(file)}"));
            }
        }

        var data = DatasetCatalog.Load("folder:" + dir.File("flat"), Options(dir) with { TestFraction = 0.25, Seed = 9 });
        var again = DatasetCatalog.Load("folder:" + dir.File("flat"), Options(dir) with { TestFraction = 0.25, Seed = 9, CacheDirectory = dir.File("other-cache") });
        var otherSeed = DatasetCatalog.Load("folder:" + dir.File("flat"), Options(dir) with { TestFraction = 0.25, Seed = 10 });

        CollectionAssert.AreEqual(Enumerable.Repeat(3, 6).ToArray(), ClassCounts.Count(data.Test.Labels, 6), "a quarter of each class's 12");
        Assert.AreEqual(0.25, data.HeldOut);
        CollectionAssert.AreEqual(data.Test.Images, again.Test.Images, "the same seed holds out the same pictures");
        CollectionAssert.AreNotEqual(data.Test.Images, otherSeed.Test.Images);
    }

    [TestMethod]
    public void ImageFolder_UnreadableAndMixedSizedPictures_AreSkippedAndListed_OrResized()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("set/dark"));
        Directory.CreateDirectory(dir.File("set/light"));
        for (int i = 0; i < 4; i++)
        {
            int side = 20 + 10 * i;
            PngFile.Write(dir.File($"set/dark/{i}.png"), Plain(side, (byte)(10 + i)));
            PngFile.Write(dir.File($"set/light/{i}.png"), Plain(side + 3, (byte)(240 - i)));
        }
        File.WriteAllText(dir.File("set/light/broken.png"), "not a picture");
        File.WriteAllText(dir.File("set/light/notes.txt"), "not a picture either, and not an image name: ignored");
        var notes = new List<string>();

        var data = DatasetCatalog.Load("folder:" + dir.File("set"), Options(dir) with { Note = notes.Add, TestFraction = 0.25 });

        Assert.AreEqual(8, data.Train.Count + data.Test.Count, "the broken picture is left out");
        string skipped = notes.Single(n => n.StartsWith("skipped", StringComparison.Ordinal));
        StringAssert.StartsWith(skipped, $"skipped 1 of 9 images that cannot be used (first: {dir.File("set/light/broken.png")}: not an image format this program reads");
        string list = skipped[(skipped.LastIndexOf("listed in ", StringComparison.Ordinal) + 10)..];
        StringAssert.Contains(File.ReadAllText(list), "broken.png");
        Assert.IsTrue(notes.Any(n => n.StartsWith("the images come in 8 sizes, from 20×20 to 53×53", StringComparison.Ordinal)), string.Join("\n", notes));
        Assert.IsTrue(File.Exists(dir.File("set/light/broken.png")), "nothing of the user's is touched");
    }

    [TestMethod]
    public void ImageFolder_LayoutMistakes_AreToldHowToFix()
    {
        using var dir = new TempDirectory();
        string Error(string spec) => Assert.ThrowsExactly<UserInputException>(() => DatasetCatalog.Load(spec, Options(dir))).Message;

        Directory.CreateDirectory(dir.File("none"));
        StringAssert.Contains(Error("folder:" + dir.File("none")), "no class folders; put each class's images in a folder named after the class");
        PngFile.Write(dir.File("one/circle/a.png"), Plain(8, 0));
        StringAssert.Contains(Error("folder:" + dir.File("one")), "only one class (circle); a classifier needs at least two class folders");
        PngFile.Write(dir.File("empty/circle/a.png"), Plain(8, 0));
        Directory.CreateDirectory(dir.File("empty/square"));
        StringAssert.Contains(Error("folder:" + dir.File("empty")), "class 'square'");
        StringAssert.Contains(Error("folder:" + dir.File("empty")), "has no images");
        foreach (int c in Enumerable.Range(0, 300))
        {
            Directory.CreateDirectory(dir.File($"many/class{c:D3}"));
        }
        StringAssert.Contains(Error("folder:" + dir.File("many")), "300 class folders; at most 256 classes are supported");
        PngFile.Write(dir.File("half/train/a/1.png"), Plain(8, 0));
        PngFile.Write(dir.File("half/train/b/1.png"), Plain(8, 0));
        StringAssert.Contains(Error("folder:" + dir.File("half")), "it has train/ but no test/");
        PngFile.Write(dir.File("half/test/a/1.png"), Plain(8, 0));
        PngFile.Write(dir.File("half/test/c/1.png"), Plain(8, 0));
        StringAssert.Contains(Error("folder:" + dir.File("half")), "train/ has the classes a, b but test/ has a, c");
        PngFile.Write(dir.File("lonely/a/1.png"), Plain(8, 0));
        PngFile.Write(dir.File("lonely/a/2.png"), Plain(8, 0));
        PngFile.Write(dir.File("lonely/b/1.png"), Plain(8, 0));
        StringAssert.Contains(Error("folder:" + dir.File("lonely")), "class 1 has 1 usable image; holding some out for testing needs at least two");
        StringAssert.Contains(Error("folder:" + dir.File("nowhere")), "is not a folder");
        StringAssert.Contains(Error("pictures"), "not a data set; use mnist, idx:DIR");
    }

    [TestMethod]
    public void MnistData_OfAnotherSize_IsRefused_WithTheIdxFormSuggested()
    {
        using var dir = new TempDirectory();
        var random = new Random(3);
        WriteIdx(dir.File("mnist29"), "train", 40, 29, 10, random);
        WriteIdx(dir.File("mnist29"), "t10k", 12, 29, 10, random);

        var error = Assert.ThrowsExactly<UserInputException>(() => DatasetCatalog.Load("mnist", Options(dir) with { MnistDirectory = dir.File("mnist29") }));

        StringAssert.Contains(error.Message, "holds 29×29 images, not MNIST's 28×28; for IDX files of another size use --dataset idx:" + dir.File("mnist29"));
    }

    [TestMethod]
    public void ImageFolder_LinkedFolders_AreNotFollowed_SoNoPictureIsCountedTwice()
    {
        using var dir = new TempDirectory();
        foreach (string name in new[] { "dark", "light" })
        {
            Directory.CreateDirectory(dir.File($"set/{name}"));
            for (int i = 0; i < 4; i++)
            {
                PngFile.Write(dir.File($"set/{name}/{i}.png"), Plain(20, (byte)(name == "dark" ? 10 + i : 240 - i)));
            }
        }
        // A cycle (dark/loop → the set itself) and another class's folder inside this one (light/dark → dark).
        Directory.CreateSymbolicLink(dir.File("set/dark/loop"), dir.File("set"));
        Directory.CreateSymbolicLink(dir.File("set/light/more"), dir.File("set/dark"));
        var notes = new List<string>();

        var data = DatasetCatalog.Load("folder:" + dir.File("set"), Options(dir) with { Note = notes.Add, TestFraction = 0.25 });

        Assert.AreEqual(8, data.Train.Count + data.Test.Count, "each picture once");
        Assert.IsTrue(notes.Any(n => n.Contains("1 linked folder not followed", StringComparison.Ordinal) && n.Contains("loop", StringComparison.Ordinal)), string.Join("\n", notes));

        Directory.CreateSymbolicLink(dir.File("set/dusk"), dir.File("set/dark"));
        var twice = Assert.ThrowsExactly<UserInputException>(() => DatasetCatalog.Load("folder:" + dir.File("set"), Options(dir)));
        StringAssert.Contains(twice.Message, "the class folders dark and dusk are the same folder");
    }

    [TestMethod]
    public void IdxFolder_AnySizeAndClassCount_WithClassNamesFromClassesTxt()
    {
        using var dir = new TempDirectory();
        var random = new Random(2);
        WriteIdx(dir.File("letters"), "emnist-letters-train", 40, 16, 4, random);
        WriteIdx(dir.File("letters"), "emnist-letters-test", 12, 16, 4, random);
        File.WriteAllText(dir.File("letters/classes.txt"), "a\nb\nc\nd\n");

        var data = DatasetCatalog.Load("idx:" + dir.File("letters"), Options(dir));

        CollectionAssert.AreEqual(new[] { "a", "b", "c", "d" }, data.ClassNames.ToArray());
        Assert.AreEqual((40, 12, 16, 16), (data.Train.Count, data.Test.Count, data.Train.Rows, data.Train.Cols));
        Assert.AreEqual("resize", data.Preprocessing.Name, "not MNIST's 28×28: pictures are resized to 16×16");
        File.Delete(dir.File("letters/classes.txt"));
        CollectionAssert.AreEqual(new[] { "0", "1", "2", "3" }, DatasetCatalog.Load("idx:" + dir.File("letters"), Options(dir)).ClassNames.ToArray());
        File.WriteAllText(dir.File("letters/classes.txt"), "a\nb\n");
        StringAssert.Contains(Assert.ThrowsExactly<UserInputException>(() => DatasetCatalog.Load("idx:" + dir.File("letters"), Options(dir))).Message,
            "names 2 classes but the labels go up to 3");
        Directory.CreateDirectory(dir.File("bare"));
        StringAssert.Contains(Assert.ThrowsExactly<UserInputException>(() => DatasetCatalog.Load("idx:" + dir.File("bare"), Options(dir))).Message,
            "no train images file; the folder needs files named like MNIST's");
    }

    [TestMethod]
    public void Models_AdaptToTheImagesAndClasses_AndTheCheckpointRemembersThem()
    {
        using var dir = new TempDirectory();
        var random = new Random(4);
        WriteIdx(dir.File("small"), "train", 64, 16, 3, random);
        WriteIdx(dir.File("small"), "t10k", 16, 16, 3, random);
        File.WriteAllText(dir.File("small/classes.txt"), "red\ngreen\nblue\n");
        var data = DatasetCatalog.Load("idx:" + dir.File("small"), Options(dir));
        var cpu = Backends.Get("cpu");
        var settings = new TrainingSettings(1, 16, OptimizerKind.Adam, new LearningRateSchedule(ScheduleKind.Constant, 1e-3, 1), 1);

        var result = TrainingRun.Run(cpu, ModelZoo.Get("lenet5"), settings, data, 0.1, dir.File("run"), null, null, CancellationToken.None);

        var (model, _, trainedOn) = LoadedModel.OpenWithData(result.Checkpoint, cpu);
        using (model)
        {
            Assert.AreEqual(new Shape(1, 16, 16), model.Input);
            Assert.AreEqual(3, model.Classes);
            CollectionAssert.AreEqual(new[] { "red", "green", "blue" }, trainedOn.ClassNames.ToArray());
            Assert.AreEqual("idx:" + dir.File("small"), trainedOn.Dataset);
            Assert.AreEqual(Preprocessing.Resize(16, 16), trainedOn.Preprocessing);
            Assert.AreNotEqual(Normalization.Mnist, data.Normalization, "random pixels are not MNIST's");
            Assert.AreEqual(data.Normalization, trainedOn.Normalization, "the checkpoint keeps the data set's normalisation");
        }
        // An MNIST model meets 16×16 images: refused, saying what it takes.
        using var mnistModel = ModelZoo.Get("mlp").Create();
        var refused = Assert.ThrowsExactly<UserInputException>(() => DataFit.Require(mnistModel, data));
        StringAssert.Contains(refused.Message, "its images are 16×16, but this mlp takes 28×28");
    }

    [TestMethod]
    public void Models_RefuseImagesTooSmallForTheirPools_InTheUsersWords()
    {
        using var dir = new TempDirectory();
        var random = new Random(5);
        WriteIdx(dir.File("tiny"), "train", 20, 8, 2, random);
        WriteIdx(dir.File("tiny"), "t10k", 4, 8, 2, random);
        var data = DatasetCatalog.Load("idx:" + dir.File("tiny"), Options(dir));
        var settings = new TrainingSettings(1, 4, OptimizerKind.Adam, new LearningRateSchedule(ScheduleKind.Constant, 1e-3, 1), 1);

        var error = Assert.ThrowsExactly<UserInputException>(() =>
            TrainingRun.Run(Backends.Get("cpu"), ModelZoo.Get("lenet5"), settings, data, 0, dir.File("run"), null, null, CancellationToken.None));

        StringAssert.StartsWith(error.Message, "lenet5 cannot take 8×8 images (");
        StringAssert.Contains(error.Message, "use larger images (--size) or a model with fewer pools, such as mlp");
    }

    [TestMethod]
    public void Shapes_TheSameSeedWritesTheSameFiles_ByteForByte()
    {
        using var dir = new TempDirectory();
        var counts = HandDrawnShapes.Write(dir.File("a"), perClass: 5, seed: 7);
        HandDrawnShapes.Write(dir.File("b"), perClass: 5, seed: 7);
        HandDrawnShapes.Write(dir.File("c"), perClass: 5, seed: 8);

        Assert.AreEqual((24, 6), counts);
        var files = Directory.GetFiles(dir.File("a"), "*.png", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir.File("a"), f)).Order(StringComparer.Ordinal).ToList();
        Assert.HasCount(30, files);
        foreach (var file in files)
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(dir.File("a"), file)), File.ReadAllBytes(Path.Combine(dir.File("b"), file)), file);
        }
        Assert.IsTrue(files.Any(f => !File.ReadAllBytes(Path.Combine(dir.File("a"), f)).SequenceEqual(File.ReadAllBytes(Path.Combine(dir.File("c"), f)))), "another seed, other pictures");
        var picture = ImageFile.Read(Path.Combine(dir.File("a"), files[0]));
        Assert.AreEqual((64, 64), (picture.Width, picture.Height));
    }

    private static DatasetOptions Options(TempDirectory dir) => new() { CacheDirectory = dir.File("cache") };

    private static Raster Plain(int side, byte level) => new(side, side, PixelLayout.Gray, Enumerable.Repeat(level, side * side).ToArray());

    // An IDX pair (prefix-images-idx3-ubyte.gz, prefix-labels-idx1-ubyte.gz) of `count` images of `side`², labels cycling over `classes`.
    private static void WriteIdx(string directory, string prefix, int count, int side, int classes, Random random)
    {
        Directory.CreateDirectory(directory);
        var pixels = new byte[count * side * side];
        random.NextBytes(pixels);
        var labels = Enumerable.Range(0, count).Select(i => (byte)(i % classes)).ToArray();
        File.WriteAllBytes(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"), IdxTestFiles.Gzip(IdxTestFiles.Images(count, side, side, pixels)));
        File.WriteAllBytes(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"), IdxTestFiles.Gzip(IdxTestFiles.Labels(count, labels)));
    }
}
