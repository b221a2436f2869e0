using System.CommandLine;
using System.Globalization;
using GpuConvNet.Checkpoints;
using GpuConvNet.Imaging;
using GpuConvNet.Inference;
using Spectre.Console;

namespace GpuConvNet.Cli.Commands;

/// <summary><c>gpuconvnet predict</c>: the digit in each of a user's images.</summary>
public static class PredictCommand
{
    private static readonly string[] Extensions = [".png", ".pgm"];

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint", "-c") { Description = "A .safetensors file written by 'gpuconvnet train'", Required = true };
        var inputs = new Argument<string[]>("images") { Description = "PNG or PGM files, or folders of them", Arity = ArgumentArity.OneOrMore };
        var device = SharedOptions.Device();
        var command = new Command("predict",
            "Read digit images (any size; dark on light or light on dark), convert them to MNIST's format (grayscale, inverted if needed, " +
            "cropped, scaled to 20×20, centred by mass in 28×28) and print the predicted digit with its probabilities")
        {
            checkpoint, inputs, device,
        };
        command.SetAction(parsed =>
        {
            var files = Expand(parsed.GetValue(inputs)!);
            var images = files.Select(f => MnistPreprocessor.Prepare(ImageFile.Read(f), f)).ToList();
            using var accelerator = CommandLine.OpenDevice(parsed.GetValue(device)!);
            var (model, _) = LoadedModel.Open(parsed.GetValue(checkpoint)!, accelerator);
            using (model)
            {
                var predictions = Predictor.Predict(model, images);
                var table = new Table().AddColumns("image", "digit", "probability", "runner-up");
                for (int i = 0; i < files.Count; i++)
                {
                    var p = predictions[i];
                    int second = Enumerable.Range(0, p.Probabilities.Length).Where(c => c != p.Digit).MaxBy(c => p.Probabilities[c]);
                    table.AddRow(Markup.Escape(files[i]), $"[bold]{p.Digit}[/]", p.Probabilities[p.Digit].ToString("P1", CultureInfo.InvariantCulture),
                        $"{second} ({p.Probabilities[second].ToString("P1", CultureInfo.InvariantCulture)})");
                }
                AnsiConsole.Write(table);
            }
            return 0;
        });
        return command;
    }

    /// <summary>The files named, with folders replaced by their PNG and PGM files (sorted); a clear error for anything missing.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path)
                    .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                    .Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0)
                {
                    throw new UserInputException($"{path} holds no .png or .pgm files");
                }
                files.AddRange(found);
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                throw new UserInputException($"{path}: no such file or folder");
            }
        }
        return files;
    }
}
