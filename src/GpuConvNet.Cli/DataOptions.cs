using System.CommandLine;
using GpuConvNet.Checkpoints;
using GpuConvNet.Datasets;
using GpuConvNet.Imaging;
using Spectre.Console;

namespace GpuConvNet.Cli;

/// <summary>
/// The options that choose and prepare a data set, shared by train, eval and compare: <c>--dataset</c>, <c>--data</c>
/// (MNIST's folder) and, for image folders, <c>--size</c>, <c>--preprocess</c> and <c>--test-fraction</c>.
/// </summary>
public sealed class DataOptions
{
    /// <summary>--dataset.</summary>
    public Option<string?> Dataset { get; } = new("--dataset")
    {
        Description = $"The data: {DatasetCatalog.Forms} [default: mnist; for eval, the checkpoint's]",
    };

    /// <summary>--data.</summary>
    public Option<string?> Data { get; } = SharedOptions.Data();

    /// <summary>--size.</summary>
    public Option<int> Size { get; } = new("--size")
    {
        Description = "Image folders: the side the pictures are resized to, in pixels",
        DefaultValueFactory = _ => 28,
    };

    /// <summary>--preprocess.</summary>
    public Option<string?> Preprocess { get; } = SharedOptions.Choice("--preprocess",
        "Image folders: resize (grayscale, ink light on dark, resized whole) or digit (also cropped to the ink and centred, as MNIST; 28×28)",
        ["resize", "digit"], "resize");

    /// <summary>--test-fraction.</summary>
    public Option<double> TestFraction { get; } = new("--test-fraction")
    {
        Description = "Image folders without a test/ folder: the share of each class held out as the test set",
        DefaultValueFactory = _ => 0.2,
    };

    /// <summary>Adds the options to <paramref name="command"/> and checks their values.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Dataset);
        command.Options.Add(Data);
        command.Options.Add(Size);
        command.Options.Add(Preprocess);
        command.Options.Add(TestFraction);
        command.Validators.Add(result =>
        {
            if (SharedOptions.TryGetValue(result, Size, out int size) && size is < 4 or > 512)
            {
                result.AddError($"--size must be from 4 to 512, not {size}");
            }
            if (SharedOptions.TryGetValue(result, TestFraction, out double fraction) && fraction is not (> 0 and < 1))
            {
                result.AddError($"--test-fraction must be between 0 and 1, not {fraction}");
            }
        });
    }

    /// <summary>
    /// Loads the data set the options name, with notes and download progress on the console. With
    /// <paramref name="trainedOn"/> (eval, resume) the checkpoint's data set, preprocessing and held-out share are the
    /// defaults, so the test set is the one the model was tested on.
    /// </summary>
    public Dataset Load(ParseResult parsed, int seed, TrainedOn? trainedOn = null)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        string spec = parsed.GetValue(Dataset) ?? trainedOn?.Dataset ?? "mnist";
        bool explicitPreprocess = parsed.GetResult(Preprocess) is { Implicit: false } || parsed.GetResult(Size) is { Implicit: false };
        var preprocessing = trainedOn is not null && !explicitPreprocess
            ? trainedOn.Preprocessing
            : parsed.GetValue(Preprocess) == "digit" ? Preprocessing.Digit : Preprocessing.Resize(parsed.GetValue(Size), parsed.GetValue(Size));
        long lastShown = -1;
        var options = new DatasetOptions
        {
            MnistDirectory = parsed.GetValue(Data),
            Preprocessing = preprocessing,
            TestFraction = parsed.GetResult(TestFraction) is { Implicit: false } ? parsed.GetValue(TestFraction) : trainedOn?.TestFraction ?? parsed.GetValue(TestFraction),
            Seed = seed,
            Note = note => AnsiConsole.MarkupLineInterpolated($"[yellow]{note}[/]"),
            Download = p =>
            {
                // Progress comes every 64 KiB, possibly from a pool thread: show each MiB.
                long mib = p.BytesReceived >> 20;
                if (Interlocked.Exchange(ref lastShown, mib) != mib)
                {
                    AnsiConsole.MarkupLineInterpolated($"[grey]downloading {p.FileName} from {p.Source.Host}: {mib} MiB[/]");
                }
            },
        };
        var data = DatasetCatalog.Load(spec, options);
        AnsiConsole.MarkupLineInterpolated(
            $"[grey]data:[/] {data.Spec}{(data.Spec == "mnist" ? " in " + data.Directory : "")} ({Words.Count(data.Train.Count, "training image")}, {Words.Count(data.Test.Count, "test image")}, {data.Train.Cols}×{data.Train.Rows}, {Words.Count(data.Classes, "class", "classes")})");
        return data;
    }
}
