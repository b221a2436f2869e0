using System.Globalization;
using System.Text.RegularExpressions;
using GpuConvNet.Checkpoints;
using GpuConvNet.Cli;
using GpuConvNet.Compute;
using GpuConvNet.Data;
using GpuConvNet.Datasets;
using GpuConvNet.Imaging;
using GpuConvNet.Inference;
using GpuConvNet.Kernels;
using GpuConvNet.Nn;
using GpuConvNet.Tests.Data;
using GpuConvNet.Tests.Infrastructure;
using Spectre.Console;

namespace GpuConvNet.Tests.Cli;

/// <summary>
/// The command line in-process, as a user meets it: exit code 2 and one line on stderr for bad arguments, 1 and one
/// line (never a stack trace) for missing or wrong files, 0 and the promised files for a train → eval → info →
/// predict session on a tiny MNIST written by the test.
/// </summary>
/// <remarks>Each test swaps the process's Console and Spectre's AnsiConsole, so none may run beside another.</remarks>
[TestClass]
[DoNotParallelize]
public sealed partial class CommandLineTests
{
    [TestMethod]
    public void Tune_RacesTheVariantsOfACompilingEngine_AndSaysThereIsNothingToTuneOnTheCpuAccelerator()
    {
        var cpu = Run("tune", "--device", "cpu");
        Assert.AreEqual(0, cpu.Code, cpu.Error);
        StringAssert.Contains(cpu.Out, "nothing to tune on cpu: the cpu engine takes fixed variants");

        Backends.Get("opencl");
        var openCL = Run("tune", "--device", Backends.DeviceIdFor("opencl"));
        Assert.AreEqual(0, openCL.Code, openCL.Error);
        foreach (string row in new[] { "matmul", "Packed12x16", "VectorBlocked8", "GFLOP/s", "conv2d", "Direct8", "batchnorm", "PerImage", "GB/s", "maxpool forward", "maxpool backward", "Disjoint", "chosen" })
        {
            StringAssert.Contains(openCL.Out, row);
        }
    }

    [TestMethod]
    [DataRow("frobnicate", "Unrecognized command or argument 'frobnicate'")]
    [DataRow("devices --frob", "Unrecognized command or argument '--frob'")]
    [DataRow("train --epochs 0", "--epochs must be at least 1, not 0")]
    [DataRow("train --batch -3", "--batch must be from 1 to 65536, not -3")]
    [DataRow("train --batch 100000000", "--batch must be from 1 to 65536, not 100000000")]
    [DataRow("train --shift -1", "--shift must not be negative, not -1")]
    [DataRow("train --rotate 200", "--rotate must be from 0 to 180 degrees, not 200")]
    [DataRow("train --rotate nan", "--rotate must be from 0 to 180 degrees, not NaN")]
    [DataRow("train --scale 1", "--scale must be at least 0 and less than 1 (0.1: sizes from 90 % to 110 %), not 1")]
    [DataRow("train --scale -0.1", "--scale must be at least 0 and less than 1")]
    [DataRow("train --resume m.safetensors --rotate 5 --scale 0.1", "--resume continues a run with the settings it was started with, so --rotate, --scale cannot be changed")]
    [DataRow("train --elastic-alpha -1", "--elastic-alpha must be a finite number ≥ 0 (pixels; 34 is MNIST's usual, 0 none), not -1")]
    [DataRow("train --elastic-alpha nan", "--elastic-alpha must be a finite number ≥ 0 (pixels; 34 is MNIST's usual, 0 none), not NaN")]
    [DataRow("train --elastic-alpha 1e400", "--elastic-alpha must be a finite number ≥ 0")]
    [DataRow("train --elastic-alpha 34 --elastic-sigma 0", "--elastic-sigma must be more than 0 and at most 100 pixels, not 0")]
    [DataRow("train --elastic-alpha 34 --elastic-sigma 1000", "--elastic-sigma must be more than 0 and at most 100 pixels, not 1000")]
    [DataRow("train --elastic-sigma 3", "--elastic-sigma smooths the elastic distortion that --elastic-alpha turns on: give --elastic-alpha too")]
    [DataRow("train --resume m.safetensors --elastic-alpha 34", "--resume continues a run with the settings it was started with, so --elastic-alpha cannot be changed")]
    [DataRow("train --resume m.safetensors --model cnn --lr 5 --batch 7", "--resume continues a run with the settings it was started with, so --model, --batch, --lr cannot be changed")]
    [DataRow("serve m.safetensors --host 999.1.1.1", "--host 999.1.1.1 is not an address to listen on: use localhost")]
    [DataRow("serve m.safetensors --host some.name", "--host some.name is not an address to listen on")]
    [DataRow("train --model nope", "Argument 'nope' not recognized. Must be one of: 'mlp-small', 'mlp', 'lenet5', 'cnn', 'cnn-plus', 'fast', 'cnn-best'")]
    [DataRow("train --validation 1.5", "--validation must be in [0, 1)")]
    [DataRow("train --epochs many", "Cannot parse argument 'many' for option '--epochs'")]
    [DataRow("train --validation lots", "Cannot parse argument 'lots' for option '--validation'")]
    [DataRow("train --lr fast --shift 2", "Cannot parse argument 'fast' for option '--lr'")]
    [DataRow("train --optimizer rmsprop", "Argument 'rmsprop' not recognized. Must be one of: 'sgd', 'adam'")]
    [DataRow("train --optimizer Adam", "Argument 'Adam' not recognized. Must be one of: 'sgd', 'adam'")]
    [DataRow("predict m.safetensors a.png --format xml", "Argument 'xml' not recognized. Must be one of: 'table', 'csv', 'json'")]
    [DataRow("predict m.safetensors a.png --invert maybe", "Argument 'maybe' not recognized. Must be one of: 'auto', 'yes', 'no'")]
    [DataRow("compare --epochs many", "Cannot parse argument 'many' for option '--epochs'")]
    [DataRow("predict model.safetensors", "Required argument missing for command: 'predict'")]
    [DataRow("compare --epochs 0", "--epochs must be at least 1")]
    [DataRow("serve m.safetensors --port 70000", "--port must be from 0 to 65535, not 70000")]
    [DataRow("train --lr nan", "--lr must be a positive finite number, not NaN")]
    [DataRow("train --lr Infinity", "--lr must be a positive finite number")]
    [DataRow("train --lr 1e400", "--lr must be a positive finite number")]
    [DataRow("train --lr -0.1", "--lr must be a positive finite number, not -0.1")]
    [DataRow("train --weight-decay nan", "--weight-decay must be a finite number ≥ 0, not NaN")]
    [DataRow("train --weight-decay -1", "--weight-decay must be a finite number ≥ 0, not -1")]
    [DataRow("train --epochs 99999999999", "Cannot parse argument '99999999999' for option '--epochs': expected a whole number up to 2147483647")]
    public void BadArguments_ExitWith2AndOneLineOnStderr_AndRunNothing(string line, string expected)
    {
        var result = Run(line.Split(' '));

        Assert.AreEqual(CommandLine.UsageError, result.Code, result.Error);
        AssertOneLine(result.Error);
        StringAssert.StartsWith(result.Error, "gpuconvnet: ");
        StringAssert.Contains(result.Error, expected);
        StringAssert.Contains(result.Error, "(see gpuconvnet --help)");
        Assert.AreEqual("", result.Out, "nothing ran");
    }

    [TestMethod]
    public void BadTrainingOptions_EachNamesOnlyTheOptionThatIsWrong()
    {
        var batch = Run("train", "--epochs", "3", "--batch", "0", "--shift", "2");

        Assert.AreEqual(CommandLine.UsageError, batch.Code);
        StringAssert.Contains(batch.Error, "--batch must be from 1 to 65536, not 0");
        Assert.DoesNotContain("--epochs", batch.Error);
        Assert.DoesNotContain("--shift", batch.Error);
    }

    [TestMethod]
    public void Info_OnADevice_OrAHugeFileOfZeros_RefusesAfterAFewBytes()
    {
        if (File.Exists("/dev/zero"))
        {
            var device = Run("info", "/dev/zero");
            Assert.AreEqual(CommandLine.Failure, device.Code);
            AssertOneLine(device.Error);
            StringAssert.Contains(device.Error, "checkpoint /dev/zero is empty, or not a regular file");
        }
        using var dir = new TempDirectory();
        if (!OperatingSystem.IsWindows())
        {
            // A named pipe: opening it would wait for a writer that never comes.
            string pipe = dir.File("pipe.safetensors");
            using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [pipe]))
            {
                mkfifo.WaitForExit();
            }
            var waiting = Task.Run(() => Run("info", pipe));
            Assert.IsTrue(waiting.Wait(TimeSpan.FromSeconds(20)), "info returns instead of waiting on the pipe");
            StringAssert.Contains(waiting.Result.Error, "is empty, or not a regular file");
        }
        var folder = Run("info", dir.Path);
        StringAssert.Contains(folder.Error, $"checkpoint {dir.Path} is a folder; name a .safetensors file");
        string zeros = dir.File("zeros.safetensors");
        using (var file = File.Create(zeros))
        {
            // Sparse where the file system allows: a gigabyte that takes no disk.
            file.SetLength(1L << 30);
        }
        long before = GC.GetTotalAllocatedBytes(precise: true);

        var result = Run("info", zeros);

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.AreEqual(CommandLine.Failure, result.Code);
        StringAssert.Contains(result.Error, "its header is not a JSON object");
        Assert.IsLessThan(16L << 20, allocated, $"{allocated >> 20} MiB allocated to refuse a file whose first 8 bytes are wrong");
    }

    [TestMethod]
    public void Info_AMetadataValueOfMegabytes_IsShownShortened()
    {
        using var dir = new TempDirectory();
        string path = dir.File("big.safetensors");
        using (var model = ModelZoo.Get("mlp-small").Create())
        {
            model.Build(Backends.Get("cpu"), 8, seed: 1);
            ModelCheckpoint.Save(path, model, new Dictionary<string, string> { ["epoch"] = "1", ["notes"] = new string('n', 5_000_000) });
        }

        var result = Run("info", path);

        Assert.AreEqual(0, result.Code, result.Error);
        Assert.IsLessThan(20_000, result.Out.Length, "the table is as wide as a shortened value");
        StringAssert.Contains(result.Out, "(5,000,000 characters in all)");
        Assert.MatchesRegex(TableRow("epoch", "1"), result.Out);
    }

    [TestMethod]
    public void Train_OnADeviceThatIsNotHere_SaysSoBeforeLoadingData_InTheUsersWords()
    {
        using var dir = new TempDirectory();
        var result = Run("train", "--device", "cuda:7", "--data", dir.File("no-mnist-here"), "--out", dir.File("run"));

        Assert.AreEqual(CommandLine.UsageError, result.Code, result.Error);
        AssertOneLine(result.Error);
        StringAssert.Contains(result.Error, "no accelerator 'cuda:7'");
        Assert.IsFalse(result.Error.Contains("(Parameter", StringComparison.Ordinal), result.Error);
        Assert.IsFalse(result.Error.Contains("MNIST", StringComparison.Ordinal), "the device is checked before the data: " + result.Error);
    }

    [TestMethod]
    public void Predict_BadFilesAmongGoodOnes_ArePredictedAnyway_AndTheBadOnesReported_WithExit1()
    {
        using var dir = new TempDirectory();
        string checkpoint = SaveMlp(dir);
        string good = dir.File("one.png");
        PngFile.Write(good, Digit(seven: false));
        string blank = dir.File("blank.png");
        PngFile.Write(blank, new Raster(30, 30, PixelLayout.Gray, Enumerable.Repeat((byte)200, 900).ToArray()));
        string text = dir.Write("notes.png", "not an image"u8.ToArray());
        string missing = dir.File("missing.png");

        var result = Run("predict", checkpoint, good, blank, text, missing, "--device", "cpu");

        Assert.AreEqual(CommandLine.Failure, result.Code, result.Error + result.Out);
        Assert.AreEqual("gpuconvnet: no prediction for 3 of 4 images; the others were predicted", result.Error.TrimEnd());
        Assert.HasCount(1, result.Out.Split('\n').Where(l => l.Contains("│", StringComparison.Ordinal) && l.Contains(good, StringComparison.Ordinal)), "the good image has its row");
        StringAssert.Contains(result.Out, "no prediction for 3 images:");
        StringAssert.Contains(result.Out, $"{blank}: no digit found: the image is blank or nearly uniform");
        StringAssert.Contains(result.Out, $"{text}: not an image format this program reads");
        StringAssert.Contains(result.Out, $"{missing}: no such file or folder");
    }

    [TestMethod]
    public void Predict_JsonAndCsv_AreMachineReadable_OneEntryPerFile_WithErrorsInTheirRows()
    {
        using var dir = new TempDirectory();
        string checkpoint = SaveMlp(dir);
        string seven = dir.File("seven, \"quoted\".png");
        PngFile.Write(seven, Digit(seven: true));
        string blank = dir.File("blank.png");
        PngFile.Write(blank, new Raster(30, 30, PixelLayout.Gray, new byte[900]));

        var json = Run("predict", checkpoint, seven, blank, "--device", "cpu", "--format", "json");

        Assert.AreEqual(CommandLine.Failure, json.Code, json.Error);
        var entries = System.Text.Json.JsonDocument.Parse(json.Out).RootElement.EnumerateArray().ToList();
        Assert.HasCount(2, entries);
        Assert.AreEqual(seven, entries[0].GetProperty("path").GetString());
        var probabilities = entries[0].GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble()).ToList();
        Assert.HasCount(10, probabilities);
        Assert.AreEqual(1.0, probabilities.Sum(), 1e-4);
        int digit = entries[0].GetProperty("class").GetInt32();
        Assert.AreEqual(digit.ToString(CultureInfo.InvariantCulture), entries[0].GetProperty("label").GetString(), "an MNIST model's labels are its digits");
        Assert.AreEqual(probabilities.Max(), probabilities[digit]);
        Assert.AreEqual(probabilities[digit], entries[0].GetProperty("probability").GetDouble());
        StringAssert.StartsWith(entries[1].GetProperty("error").GetString(), "no digit found");
        Assert.IsFalse(entries[1].TryGetProperty("class", out _));

        var csv = Run("predict", checkpoint, seven, blank, "--device", "cpu", "--format", "csv");

        var lines = csv.Out.TrimEnd('\n').Split('\n');
        Assert.HasCount(3, lines);
        Assert.AreEqual("path,class,label,probability,p_0,p_1,p_2,p_3,p_4,p_5,p_6,p_7,p_8,p_9,error", lines[0]);
        StringAssert.StartsWith(lines[1], $"\"{seven.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{digit},{digit},");
        Assert.AreEqual(blank + new string(',', 14) + "\"no digit found: the image is blank or nearly uniform; use a picture of one digit, dark on light or light on dark\"",
            lines[2], "an error row has every column, the error in the last");
        Assert.DoesNotContain("device:", csv.Out, "nothing but the CSV on stdout");
    }

    [TestMethod]
    public void Serve_MissingCheckpoint_OrPortInUse_ExitsWith1AndOneLine()
    {
        using var dir = new TempDirectory();
        string missing = dir.File("missing.safetensors");
        var noFile = Run("serve", missing, "--device", "cpu");
        Assert.AreEqual(CommandLine.Failure, noFile.Code, noFile.Error);
        Assert.AreEqual($"gpuconvnet: checkpoint {missing} does not exist; check the path, or train a model to create it", noFile.Error.TrimEnd());

        string checkpoint = SaveMlp(dir);
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var busy = Run("serve", checkpoint, "--device", "cpu", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture));
        Assert.AreEqual(CommandLine.Failure, busy.Code, busy.Error);
        AssertOneLine(busy.Error);
        StringAssert.StartsWith(busy.Error, $"gpuconvnet: cannot listen on 127.0.0.1:{port}: ");
        StringAssert.Contains(busy.Error, "choose another --port");
    }

    [TestMethod]
    public void Serve_WithoutACheckpoint_TakesTheNewestUnderRuns_OrSaysHowToGetOne()
    {
        using var dir = new TempDirectory();
        var none = Assert.ThrowsExactly<UserInputException>(() => GpuConvNet.Cli.Commands.ServeCommand.NewestCheckpoint(dir.File("runs")));
        StringAssert.Contains(none.Message, "no checkpoint given, and none under");
        StringAssert.Contains(none.Message, "train one first ('gpuconvnet train --model cnn') or name a .safetensors file");

        string older = Path.Combine(Directory.CreateDirectory(dir.File("runs/a")).FullName, "mlp.safetensors");
        string newer = Path.Combine(Directory.CreateDirectory(dir.File("runs/b")).FullName, "cnn.safetensors");
        File.WriteAllText(older, "");
        File.WriteAllText(newer, "");
        File.SetLastWriteTimeUtc(older, DateTime.UtcNow.AddHours(-1));
        Assert.AreEqual(newer, GpuConvNet.Cli.Commands.ServeCommand.NewestCheckpoint(dir.File("runs")));
    }

    [TestMethod]
    public void ShapesThenTrainEvalAndPredict_OnAnImageFolder_SpeakOfClassesByName()
    {
        using var dir = new TempDirectory();
        string shapes = dir.File("shapes");
        var written = Run("shapes", "--out", shapes, "--per-class", "10", "--seed", "2");
        Assert.AreEqual(0, written.Code, written.Error);
        StringAssert.Contains(written.Out, "wrote 48 training pictures and 12 test pictures of circle, cross, line, square, star, triangle");
        var again = Run("shapes", "--out", shapes);
        Assert.AreEqual(CommandLine.Failure, again.Code);
        StringAssert.Contains(again.Error, "is not empty; name a new or empty folder (nothing there is overwritten)");

        string run = dir.File("run");
        Environment.SetEnvironmentVariable(MnistOptions.CacheVariable, dir.File("cache"));
        try
        {
            var train = Run("train", "--dataset", "folder:" + shapes, "--model", "mlp", "--epochs", "1", "--batch", "16", "--device", "cpu", "--out", run);
            Assert.AreEqual(0, train.Code, train.Error + train.Out);
            StringAssert.Contains(train.Out, $"data: folder:{shapes} (48 training images, 12 test images, 28×28, 6 classes)");
            StringAssert.Contains(train.Out, "the images are 64×64; each was prepared as 28×28 (resize)");
            Assert.MatchesRegex(TableRow("set", "circle", "cross", "line", "square", "star", "triangle"), train.Out);
            Assert.MatchesRegex(TableRow("triangle", @"[0-9.]+ %", @"[0-9.]+ %", @"[0-9.]+ %", "2"), train.Out, "per-class scores by name");
            string checkpoint = Path.Combine(run, "mlp.safetensors");

            // eval finds the data set in the checkpoint, with the same held-out pictures.
            var eval = Run("eval", checkpoint, "--device", "cpu");
            Assert.AreEqual(0, eval.Code, eval.Error + eval.Out);
            StringAssert.Contains(eval.Out, $"data: folder:{shapes} (48 training images, 12 test images");

            var info = Run("info", checkpoint);
            Assert.MatchesRegex(TableRow("classes", Regex.Escape("[\"circle\",\"cross\",\"line\",\"square\",\"star\",\"triangle\"]")), info.Out);

            string star = Directory.GetFiles(Path.Combine(shapes, "test", "star")).First();
            var predict = Run("predict", checkpoint, star, "--device", "cpu", "--format", "json");
            Assert.AreEqual(0, predict.Code, predict.Error);
            var entry = System.Text.Json.JsonDocument.Parse(predict.Out).RootElement[0];
            CollectionAssert.Contains(new[] { "circle", "cross", "line", "square", "star", "triangle" }, entry.GetProperty("label").GetString());
            Assert.AreEqual(6, entry.GetProperty("probabilities").GetArrayLength());
        }
        finally
        {
            Environment.SetEnvironmentVariable(MnistOptions.CacheVariable, AssemblyHooks.RunCache);
        }
    }

    [TestMethod]
    public void Help_SaysGpuconvnet_LowerCaseChoices_AndTheModelsRealDefaults()
    {
        var result = Run("train", "--help");

        Assert.AreEqual(0, result.Code);
        StringAssert.Contains(result.Out, "gpuconvnet train [options]");
        Assert.DoesNotContain("GpuConvNet.Cli", result.Out);
        StringAssert.Contains(result.Out, "--optimizer <adam|sgd>");
        StringAssert.Contains(result.Out, "--schedule <constant|cosine|onecycle|step>");
        StringAssert.Contains(result.Out, "[default: the model's: mlp-small 10, mlp 100, lenet5 10, cnn 10, cnn-plus 15, fast 2, cnn-best 30]");
        StringAssert.Contains(result.Out, "[default: the model's: mlp-small 0, mlp 0, lenet5 0, cnn 0, cnn-plus 0, fast 0, cnn-best 10]", "--rotate's defaults");
        Assert.DoesNotContain("(default: the model's)", result.Out);
    }

    [TestMethod]
    public void Predict_MissingCheckpoint_ExitsWith1AndSaysWhatToDo()
    {
        using var dir = new TempDirectory();
        string image = dir.File("one.png");
        PngFile.Write(image, Digit(seven: false));
        string checkpoint = dir.File("missing.safetensors");

        var result = Run("predict", checkpoint, image, "--device", "cpu");

        Assert.AreEqual(CommandLine.Failure, result.Code, result.Error);
        AssertOneLine(result.Error);
        Assert.AreEqual($"gpuconvnet: checkpoint {checkpoint} does not exist; check the path, or train a model to create it", result.Error.TrimEnd());
    }

    [TestMethod]
    public void Info_FileThatIsNotSafetensors_ExitsWith1AndOneLine()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("notes.safetensors", "this is a text file, not a checkpoint\n"u8.ToArray());

        var result = Run("info", path);

        Assert.AreEqual(CommandLine.Failure, result.Code, result.Error);
        AssertOneLine(result.Error);
        StringAssert.StartsWith(result.Error, $"gpuconvnet: {path}: not a valid safetensors checkpoint");
    }

    [TestMethod]
    public void Eval_DataFolderWithoutMnist_ExitsWith1AndNamesTheFilesItNeeds()
    {
        using var dir = new TempDirectory();
        string empty = Directory.CreateDirectory(dir.File("empty")).FullName;

        var result = Run("eval", SaveMlp(dir), "--data", empty, "--device", "cpu");

        Assert.AreEqual(CommandLine.Failure, result.Code, result.Error);
        AssertOneLine(result.Error);
        StringAssert.StartsWith(result.Error, $"gpuconvnet: --data {empty}: missing train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz;");
        StringAssert.Contains(result.Error, "the folder must hold");
    }

    [TestMethod]
    public void Devices_ListsTheCpuAndWhichIsBest()
    {
        var result = Run("devices");

        Assert.AreEqual(0, result.Code, result.Error);
        Assert.AreEqual("", result.Error);
        foreach (var device in Accelerators.All)
        {
            Assert.MatchesRegex(new Regex(@"^" + Regex.Escape(device.Id) + @"\s+" + Regex.Escape(device.Name), RegexOptions.Multiline), result.Out, $"an entry for {device.Id}");
        }
        Assert.IsTrue(Accelerators.All.Any(d => d.Id == "cpu"), "the CPU accelerator is always there");
        StringAssert.Contains(result.Out, $"best: {Accelerators.BestDevice.Id}");
    }

    [TestMethod]
    public void Info_CheckpointWrittenByTheLibrary_ShowsMetadataAndTensors()
    {
        using var dir = new TempDirectory();
        string path = dir.File("mlp.safetensors");
        long parameters;
        using (var model = ModelZoo.Get("mlp").Create())
        {
            model.Build(Backends.Get("cpu"), 8, seed: 1);
            parameters = model.ParameterCount;
            ModelCheckpoint.Save(path, model, new Dictionary<string, string> { ["epoch"] = "7" });
        }

        var result = Run("info", path);

        Assert.AreEqual(0, result.Code, result.Error);
        Assert.AreEqual("", result.Error);
        Assert.MatchesRegex(TableRow("model", "mlp"), result.Out);
        Assert.MatchesRegex(TableRow("epoch", "7"), result.Out);
        Assert.MatchesRegex(TableRow("fc1.weight", "F32", Regex.Escape("[128, 784]"), "100,352"), result.Out);
        Assert.MatchesRegex(TableRow("fc4.bias", "F32", Regex.Escape("[10]"), "10"), result.Out);
        StringAssert.Contains(result.Out, $"8 tensors, {parameters.ToString("N0", CultureInfo.InvariantCulture)} parameters");
    }

    [TestMethod]
    public void Info_MetadataWithTerminalControlBytes_PrintsThemEscaped()
    {
        using var dir = new TempDirectory();
        string path = dir.File("mlp.safetensors");
        using (var model = ModelZoo.Get("mlp").Create())
        {
            model.Build(Backends.Get("cpu"), 8, seed: 1);
            ModelCheckpoint.Save(path, model, new Dictionary<string, string> { ["epoch"] = "7\u001b[2J\u0007" });
        }

        var result = Run("info", path);

        Assert.AreEqual(0, result.Code, result.Error);
        Assert.IsFalse(result.Out.Contains('\u001b', StringComparison.Ordinal) || result.Out.Contains('\u0007', StringComparison.Ordinal),
            "no control byte from the file reaches the terminal");
        StringAssert.Contains(result.Out, "7\\u001b[2J\\u0007");
    }

    [TestMethod]
    public void Train_WithAnOutputPathThatIsAFile_SaysSoBeforeAnythingSlow()
    {
        using var dir = new TempDirectory();
        string file = dir.File("taken");
        File.WriteAllText(file, "not a folder");

        var result = Run("train", "--device", "cpu", "--data", dir.File("no-mnist-here"), "--out", file);

        Assert.AreEqual(CommandLine.Failure, result.Code, result.Error);
        AssertOneLine(result.Error);
        StringAssert.StartsWith(result.Error, $"gpuconvnet: --out {file}: cannot write there (");
        Assert.AreEqual("not a folder", File.ReadAllText(file), "the file is left as it was");
    }

    [TestMethod]
    public void Compare_WithoutEpochs_UsesTheDefaultOfOne()
    {
        using var dir = new TempDirectory();
        var result = Run("compare", "--data", dir.Path, "--device", "cpu");

        // No usage error about --epochs: the run goes on to the data, which this folder lacks.
        Assert.AreEqual(CommandLine.Failure, result.Code, result.Error);
        Assert.IsFalse(result.Error.Contains("--epochs", StringComparison.Ordinal), result.Error);
        StringAssert.Contains(result.Error, "missing train-images-idx3-ubyte.gz");
    }

    [TestMethod]
    public void Compare_TwoModels_ShowsEachModelsProgress_AndOneTable()
    {
        using var dir = new TempDirectory();
        string data = Directory.CreateDirectory(dir.File("mnist")).FullName;
        TinyMnist.WriteGz(data, TinyMnist.Create(train: 200, test: 50, seed: 4));

        var result = Run("compare", "--models", "mlp-small,mlp", "--epochs", "1", "--device", "cpu", "--data", data, "--out", dir.File("compare"));

        Assert.AreEqual(0, result.Code, result.Error + result.Out);
        StringAssert.Contains(result.Out, "training mlp-small (1 epoch, batch 64, adam lr 0.001)");
        StringAssert.Contains(result.Out, "mlp-small epoch 1/1 loss");
        StringAssert.Contains(result.Out, "mlp epoch 1/1 loss");
        StringAssert.Contains(result.Out, "1 epoch each on");
        Assert.MatchesRegex(@"│\s*mlp-small\s*│", result.Out);
        Assert.IsTrue(File.Exists(Path.Combine(dir.File("compare"), "mlp", "learning-curves.png")));
    }

    [TestMethod]
    public void TrainOneEpoch_ThenResumeToTwo_ContinuesInTheSameFolder()
    {
        using var dir = new TempDirectory();
        string data = Directory.CreateDirectory(dir.File("mnist")).FullName;
        TinyMnist.WriteGz(data, TinyMnist.Create(train: 300, test: 100, seed: 21));
        string run = dir.File("run");
        var first = Run("train", "--model", "mlp", "--epochs", "1", "--batch", "32", "--device", "cpu", "--data", data, "--out", run, "--seed", "3");
        Assert.AreEqual(0, first.Code, first.Error + first.Out);
        string checkpoint = Path.Combine(run, "mlp.safetensors");

        var resumed = Run("train", "--resume", checkpoint, "--epochs", "2", "--device", "cpu", "--data", data);

        Assert.AreEqual(0, resumed.Code, resumed.Error + resumed.Out);
        StringAssert.Contains(resumed.Out, $"resuming after epoch 1 of 2 from {checkpoint}");
        Assert.HasCount(1 + 2, File.ReadAllLines(Path.Combine(run, "history.csv")), "a header and both epochs");
        Assert.AreEqual("2", SafeTensors.Read(checkpoint).Metadata["epoch"]);
        var nothingLeft = Run("train", "--resume", checkpoint, "--device", "cpu", "--data", data);
        Assert.AreEqual(CommandLine.Failure, nothingLeft.Code);
        StringAssert.Contains(nothingLeft.Error, "holds epoch 2 of 2: nothing is left to train");
        var fewer = Run("train", "--resume", checkpoint, "--epochs", "1", "--device", "cpu", "--data", data);
        Assert.AreEqual(CommandLine.Failure, fewer.Code);
        StringAssert.Contains(fewer.Error, "already holds 2 epochs, so --epochs 1 leaves nothing to train; pass --epochs 3 or more to train further");
    }

    [TestMethod]
    public void Resume_WithNothingLeftToTrain_SaysSoBeforeOpeningTheDeviceOrLoadingTheData()
    {
        using var dir = new TempDirectory();
        string data = Directory.CreateDirectory(dir.File("mnist")).FullName;
        TinyMnist.WriteGz(data, TinyMnist.Create(train: 100, test: 20, seed: 22));
        string run = dir.File("run");
        var first = Run("train", "--model", "mlp", "--epochs", "1", "--batch", "32", "--device", "cpu", "--data", data, "--out", run);
        Assert.AreEqual(0, first.Code, first.Error + first.Out);
        string checkpoint = Path.Combine(run, "mlp.safetensors");

        var result = Run("train", "--resume", checkpoint, "--device", "cuda:7", "--data", dir.File("no-mnist-here"));

        Assert.AreEqual(CommandLine.Failure, result.Code, result.Error);
        AssertOneLine(result.Error);
        Assert.AreEqual($"gpuconvnet: {checkpoint} holds epoch 1 of 1: nothing is left to train; pass --epochs to train further", result.Error.TrimEnd());
        Assert.DoesNotContain("data:", result.Out, "no data was loaded");
        Assert.DoesNotContain("device:", result.Out, "no device was opened");
    }

    [TestMethod]
    public void TrainWithElasticDistortion_SaysSo_AndRecordsItForResume()
    {
        using var dir = new TempDirectory();
        string data = Directory.CreateDirectory(dir.File("mnist")).FullName;
        TinyMnist.WriteGz(data, TinyMnist.Create(train: 300, test: 100, seed: 21));
        string run = dir.File("run");

        var result = Run("train", "--model", "mlp", "--epochs", "1", "--batch", "32", "--device", "cpu", "--data", data, "--out", run,
            "--elastic-alpha", "8", "--elastic-sigma", "3", "--rotate", "5");

        Assert.AreEqual(0, result.Code, result.Error + result.Out);
        StringAssert.Contains(result.Out, "random rotations of ±5°, elastic distortions of α 8 px, σ 3 px");
        var metadata = SafeTensors.Read(Path.Combine(run, "mlp.safetensors")).Metadata;
        Assert.AreEqual(("8", "3"), (metadata["resume.elastic_alpha"], metadata["resume.elastic_sigma"]));
    }

    [TestMethod]
    public void TrainWithoutValidation_SaysTheBestCheckpointIsByTrainingAccuracy()
    {
        using var dir = new TempDirectory();
        string data = Directory.CreateDirectory(dir.File("mnist")).FullName;
        TinyMnist.WriteGz(data, TinyMnist.Create(train: 300, test: 100, seed: 21));

        var result = Run("train", "--model", "mlp", "--epochs", "1", "--batch", "32", "--device", "cpu", "--data", data, "--out", dir.File("run"), "--validation", "0");

        Assert.AreEqual(0, result.Code, result.Error + result.Out);
        StringAssert.Contains(result.Out, "(best by training accuracy: --validation 0 holds no images out)");
        Assert.DoesNotContain("by validation accuracy", result.Out);
    }

    [TestMethod]
    public void TrainThatEndsAtChance_SaysSo_AndSuggestsALowerLearningRate()
    {
        using var dir = new TempDirectory();
        // Real digits (the synthetic ones are learnt even so): the first 3,000 training and 500 test images.
        var mnist = MnistDataset.Load(SharedData.MnistDirectory);
        static LabeledImages First(LabeledImages set, int count) =>
            new(new IdxImages(count, set.Rows, set.Cols, set.Images[..(count * set.Rows * set.Cols)]), set.Labels[..count]);
        string data = Directory.CreateDirectory(dir.File("mnist")).FullName;
        TinyMnist.WriteGz(data, mnist with { Train = First(mnist.Train, 3000), Test = First(mnist.Test, 500) });

        var wild = Run("train", "--model", "mlp-small", "--epochs", "1", "--device", "cpu", "--data", data, "--out", dir.File("wild"), "--lr", "1e6");
        var sane = Run("train", "--model", "mlp-small", "--epochs", "1", "--device", "cpu", "--data", data, "--out", dir.File("sane"));

        Assert.AreEqual(0, wild.Code, wild.Error + wild.Out);
        StringAssert.Contains(wild.Out, "warning: accuracy stayed at chance level");
        StringAssert.Contains(wild.Out, "train again with a lower --lr");
        Assert.DoesNotContain("chance level", sane.Out, "a run that learns is not warned about");
    }

    [TestMethod]
    public void TrainThenEvalInfoAndPredict_OnATinyMnist_ExitWith0AndWriteEveryFile()
    {
        using var dir = new TempDirectory();
        string data = Directory.CreateDirectory(dir.File("mnist")).FullName;
        var mnist = TinyMnist.Create(train: 300, test: 100, seed: 21);
        TinyMnist.WriteGz(data, mnist);
        string run = dir.File("run");

        var train = Run("train", "--model", "mlp", "--epochs", "1", "--batch", "32", "--device", "cpu", "--data", data, "--out", run, "--seed", "3");

        Assert.AreEqual(0, train.Code, train.Error + train.Out);
        Assert.AreEqual("", train.Error);
        string checkpoint = Path.Combine(run, "mlp.safetensors");
        foreach (var file in new[] { "mlp.safetensors", "history.csv", "history.json", "learning-curves.svg", "learning-curves.png", "samples.png",
            "confusion-matrix.png", "class-scores.png", "class-scores.svg" })
        {
            Assert.IsTrue(File.Exists(Path.Combine(run, file)), $"train writes {file}");
        }
        foreach (var picture in new[] { "samples.png", "confusion-matrix.png" })
        {
            var image = ImageFile.Read(Path.Combine(run, picture));
            Assert.IsGreaterThan(28, image.Width, $"{picture} is a picture of some size");
        }
        Assert.HasCount(2, File.ReadAllLines(Path.Combine(run, "history.csv")));
        StringAssert.Contains(train.Out, $"data: mnist in {data} (300 training images, 100 test images, 28×28, 10 classes)");
        double trainAccuracy = Accuracy(TrainAccuracy(), train.Out);

        string evalOut = dir.File("eval");
        var eval = Run("eval", checkpoint, "--device", "cpu", "--data", data, "--out", evalOut);

        Assert.AreEqual(0, eval.Code, eval.Error + eval.Out);
        Assert.AreEqual("", eval.Error);
        StringAssert.Contains(eval.Out, "mlp from " + checkpoint + " (epoch 1)");
        Assert.IsTrue(File.Exists(Path.Combine(evalOut, "confusion-matrix.png")), "eval writes its confusion matrix where --out says");
        Assert.AreEqual(trainAccuracy, Accuracy(EvalAccuracy(), eval.Out), "eval finds the test accuracy train reported");

        var info = Run("info", checkpoint);

        Assert.AreEqual(0, info.Code, info.Error);
        Assert.MatchesRegex(TableRow("epoch", "1"), info.Out);
        Assert.MatchesRegex(TableRow("model", "mlp"), info.Out);
        Assert.MatchesRegex(TableRow("batch_size", "32"), info.Out);
        Assert.MatchesRegex(TableRow("seed", "3"), info.Out);

        string seven = dir.File("seven.png");
        string one = dir.File("one.png");
        PngFile.Write(seven, Digit(seven: true));
        PngFile.Write(one, Digit(seven: false));
        var predict = Run("predict", checkpoint, seven, one, "--device", "cpu");

        Assert.AreEqual(0, predict.Code, predict.Error + predict.Out);
        Assert.AreEqual("", predict.Error);
        // The table's rows are the images in the order given, each with what the library predicts for it.
        var (model, _) = LoadedModel.Open(checkpoint, Backends.Get("cpu"));
        using (model)
        {
            var expected = Predictor.Predict(model, Normalization.Mnist, [.. new[] { seven, one }.Select(f => MnistPreprocessor.Prepare(ImageFile.Read(f), f))]);
            var rows = predict.Out.Split('\n').Where(l => l.Contains(".png", StringComparison.Ordinal)).ToList();
            Assert.HasCount(2, rows);
            Assert.AreEqual(seven, Cells(rows[0])[0]);
            Assert.AreEqual(one, Cells(rows[1])[0]);
            for (int i = 0; i < 2; i++)
            {
                Assert.AreEqual(expected[i].Class.ToString(CultureInfo.InvariantCulture), Cells(rows[i])[1], $"digit of {Cells(rows[i])[0]}");
                Assert.AreEqual(expected[i].Probabilities[expected[i].Class].ToString("P1", CultureInfo.InvariantCulture), Cells(rows[i])[2]);
            }
        }
    }

    [TestMethod]
    public void Predict_NormalisesAsTheCheckpointSays_AndACheckpointThatDoesNotSay_AsMnist()
    {
        using var dir = new TempDirectory();
        var cpu = Backends.Get("cpu");
        string unsaid = dir.File("unsaid.safetensors");
        string said = dir.File("said.safetensors");
        var own = new Normalization(0.5f, 0.25f);
        using (var mlp = ModelZoo.Get("mlp").Create())
        {
            mlp.Build(cpu, 8, seed: 1);
            ModelCheckpoint.Save(unsaid, mlp, new Dictionary<string, string>());
            ModelCheckpoint.Save(said, mlp, new Dictionary<string, string>
            {
                [TrainedOn.PixelMeanKey] = "0.5",
                [TrainedOn.PixelStdKey] = "0.25",
            });
        }
        string seven = dir.File("seven.png");
        PngFile.Write(seven, Digit(seven: true));
        byte[] field = MnistPreprocessor.Prepare(ImageFile.Read(seven), seven);

        var asMnist = Probabilities(Run("predict", unsaid, seven, "--device", "cpu", "--format", "json"));
        var asSaid = Probabilities(Run("predict", said, seven, "--device", "cpu", "--format", "json"));

        var (model, _) = LoadedModel.Open(unsaid, cpu);
        using (model)
        {
            var mnistExpected = Predictor.Predict(model, Normalization.Mnist, [field])[0].Probabilities;
            var saidExpected = Predictor.Predict(model, own, [field])[0].Probabilities;
            for (int c = 0; c < 10; c++)
            {
                Assert.AreEqual(mnistExpected[c], asMnist[c], 1e-6, $"class {c}: a checkpoint without pixel statistics is MNIST's");
                Assert.AreEqual(saidExpected[c], asSaid[c], 1e-6, $"class {c}: the checkpoint's own statistics");
            }
            Assert.IsGreaterThan(1e-3, mnistExpected.Zip(saidExpected).Max(p => Math.Abs(p.First - p.Second)), "the two normalisations give different inputs");
        }

        static double[] Probabilities((int Code, string Out, string Error) result)
        {
            Assert.AreEqual(0, result.Code, result.Error);
            return [.. System.Text.Json.JsonDocument.Parse(result.Out).RootElement[0].GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble())];
        }
    }

    /// <summary>An untrained mlp's checkpoint in <paramref name="dir"/>: enough for predict's plumbing.</summary>
    private static string SaveMlp(TempDirectory dir)
    {
        string path = dir.File("mlp.safetensors");
        using var model = ModelZoo.Get("mlp").Create();
        model.Build(Backends.Get("cpu"), 8, seed: 1);
        ModelCheckpoint.Save(path, model, new Dictionary<string, string> { ["epoch"] = "1" });
        return path;
    }

    /// <summary>Runs the command line on <paramref name="args"/>, capturing stdout (Console and AnsiConsole) and stderr.</summary>
    private static (int Code, string Out, string Error) Run(params string[] args)
    {
        var originalOut = Console.Out;
        var originalError = Console.Error;
        var originalAnsi = AnsiConsole.Console;
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        // Wide enough that no table wraps or truncates a temp path.
        console.Profile.Width = 500;
        Console.SetOut(output);
        Console.SetError(error);
        AnsiConsole.Console = console;
        try
        {
            int code = CommandLine.Run(GpuConvNetCommand.Create(), args);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
            AnsiConsole.Console = originalAnsi;
        }
    }

    private static void AssertOneLine(string stderr)
    {
        var lines = stderr.TrimEnd('\n', '\r').Split('\n');
        Assert.HasCount(1, lines, $"stderr should be one line:\n{stderr}");
        Assert.DoesNotContain("   at ", stderr, "no stack trace");
        Assert.DoesNotContain("Exception", stderr, "no exception type: a message for the user");
        Assert.IsFalse(string.IsNullOrWhiteSpace(stderr), "a message");
    }

    /// <summary>A table row (Spectre draws │ between cells) holding exactly these cells, in order, first to last.</summary>
    private static string TableRow(params string[] cells) => @"│\s*" + string.Join(@"\s*│\s*", cells) + @"\s*│";

    private static string[] Cells(string row) => row.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(c => c.Length > 0).ToArray();

    private static double Accuracy(Regex pattern, string output)
    {
        var match = pattern.Match(output);
        Assert.IsTrue(match.Success, $"no accuracy ({pattern}) in:\n{output}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"test accuracy: ([0-9.]+) ?%")]
    private static partial Regex TrainAccuracy();

    [GeneratedRegex(@"test: accuracy ([0-9.]+) ?%")]
    private static partial Regex EvalAccuracy();

    /// <summary>A dark 7 or 1 on light paper, 48×64, as a user might draw it.</summary>
    private static Raster Digit(bool seven)
    {
        const int width = 48, height = 64;
        var pixels = Enumerable.Repeat((byte)240, width * height).ToArray();
        for (int y = 8; y < 56; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bool ink = seven
                    ? (y < 14 && x is >= 8 and < 40) || Math.Abs(x - (40 - (y - 8) * 24 / 48)) < 3
                    : Math.Abs(x - 24) < 3;
                if (ink)
                {
                    pixels[y * width + x] = 15;
                }
            }
        }
        return new Raster(width, height, PixelLayout.Gray, pixels);
    }
}
