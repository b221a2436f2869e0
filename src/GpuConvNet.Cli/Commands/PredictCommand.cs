using System.CommandLine;
using GpuConvNet.Imaging;
using GpuConvNet.Inference;
using Spectre.Console;

namespace GpuConvNet.Cli.Commands;

/// <summary><c>gpuconvnet predict</c>: the class (the digit, for MNIST models) of each of a user's images.</summary>
public static class PredictCommand
{
    /// <summary>File extensions taken from folders (a file named on the command line is read whatever its name).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".pgm"];

    private static readonly string[] Formats = ["table", "csv", "json"];
    private static readonly string[] InvertChoices = ["auto", "yes", "no"];

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var checkpoint = SharedOptions.Checkpoint();
        var inputs = new Argument<string[]>("images")
        {
            Description = "Image files (PNG, JPEG, BMP, GIF, WebP, PGM) or folders of them; .safetensors and .onnx files before the first image join the " +
                "checkpoint in an ensemble, whose probabilities are averaged",
            Arity = ArgumentArity.OneOrMore,
        };
        var device = SharedOptions.Device();
        var format = SharedOptions.Choice("--format", "Output: a table, or csv or json for scripts (a row per file; files that failed carry their error)",
            Formats, "table", "-f");
        var invert = SharedOptions.Choice("--invert",
            "Whether the picture is dark ink on light paper and must be inverted: auto decides from the picture (its histogram, border and corners)",
            InvertChoices, "auto");
        var command = new Command("predict",
            "Read images (any size; dark on light or light on dark), prepare them as the model's training data was (for digits MNIST's format: " +
            "grayscale, inverted if needed, cropped, scaled to 20×20, centred by mass in 28×28) and print the predicted class with its probabilities. " +
            "A file that cannot be used is reported in its row and the others are still predicted; the exit code is then 1")
        {
            checkpoint, inputs, device, format, invert,
        };
        command.SetAction(parsed =>
        {
            var polarity = parsed.GetValue(invert) switch
            {
                "yes" => InkPolarity.DarkOnLight,
                "no" => InkPolarity.LightOnDark,
                _ => InkPolarity.Auto,
            };
            var outputFormat = SharedOptions.ToEnum<PredictionFormat>(parsed.GetValue(format)) ?? PredictionFormat.Table;
            // The images before the device and the model: reading them is quick, and a typo shows at once.
            // The checkpoint's metadata first (classes, input size, preprocessing), then the images: reading them is
            // quick, and a typo shows before the device and the model are set up.
            var (models, images) = Split(parsed.GetValue(checkpoint)!, parsed.GetValue(inputs)!);
            if (images.Count == 0)
            {
                throw new UserInputException($"no images to predict: {string.Join(", ", models)} are all model files; name image files or folders after them");
            }
            var ensemble = Ensemble.Read(models);
            var trainedOn = ensemble.TrainedOn;
            var prepared = Expand(images).Select(file => Prepare(file, trainedOn.Preprocessing, polarity)).ToList();
            using var accelerator = CommandLine.OpenDevice(parsed.GetValue(device)!, quiet: outputFormat != PredictionFormat.Table);
            IReadOnlyList<PredictionRow> rows;
            using (var loaded = ensemble.Build(accelerator))
            {
                var good = prepared.Where(p => p.Field is not null).ToList();
                var predictions = loaded.Predict([.. good.Select(p => p.Field!)]);
                var byPath = good.Select((p, i) => (p, predictions[i].Combined)).ToDictionary(x => x.p, x => x.Item2);
                rows = [.. prepared.Select(p => new PredictionRow(p.Path, byPath.GetValueOrDefault(p), p.Error))];
            }
            new PredictionOutput(trainedOn.ClassNames).Write(rows, outputFormat, AnsiConsole.Console, Console.Out);
            int failed = rows.Count(r => r.Prediction is null);
            if (failed > 0)
            {
                Console.Error.WriteLine($"gpuconvnet: no prediction for {failed} of {Words.Count(rows.Count, "image")}; the others were predicted");
                return CommandLine.Failure;
            }
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The model files and the images of <c>predict CHECKPOINT IMAGE…</c>: the checkpoint, and the .safetensors and
    /// .onnx files that follow it before the first image (no picture is either), are an ensemble's members.
    /// </summary>
    public static (IReadOnlyList<string> Models, IReadOnlyList<string> Images) Split(string checkpoint, IReadOnlyList<string> rest)
    {
        ArgumentNullException.ThrowIfNull(rest);
        int members = rest.TakeWhile(IsModelFile).Count();
        return ([checkpoint, .. rest.Take(members)], [.. rest.Skip(members)]);
    }

    private static bool IsModelFile(string path) =>
        path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The files named, with folders replaced by their image files (sorted). A path that does not exist, or a folder
    /// without images, comes back as an entry whose error says so, so that it is reported beside the others.
    /// </summary>
    public static IReadOnlyList<(string Path, string? Error)> Expand(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<(string, string?)>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path)
                    .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                    .Order(StringComparer.Ordinal).ToList();
                files.AddRange(found.Count == 0
                    ? [(path, $"the folder holds no image files ({string.Join(", ", Extensions)})")]
                    : found.Select(f => (f, (string?)null)));
            }
            else
            {
                files.Add((path, File.Exists(path) ? null : "no such file or folder"));
            }
        }
        return files;
    }

    private sealed record Prepared(string Path, byte[]? Field, string? Error);

    private static Prepared Prepare((string Path, string? Error) file, Preprocessing preprocessing, InkPolarity polarity)
    {
        if (file.Error is not null)
        {
            return new Prepared(file.Path, null, file.Error);
        }
        try
        {
            return new Prepared(file.Path, InputImage.Read(file.Path, preprocessing, polarity), null);
        }
        catch (UserInputException e)
        {
            return new Prepared(file.Path, null, InputImage.WithoutName(e.Message, file.Path));
        }
    }
}
