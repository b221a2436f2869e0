using System.CommandLine;
using GpuConvNet.Inference;
using GpuConvNet.Metrics;
using GpuConvNet.Nn;
using GpuConvNet.Reports;
using GpuConvNet.Training;
using Spectre.Console;

namespace GpuConvNet.Cli.Commands;

/// <summary><c>gpuconvnet eval</c>: a checkpoint's (or an ONNX model's) test-set metrics and pictures.</summary>
public static class EvalCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var checkpoint = SharedOptions.Checkpoint();
        var device = SharedOptions.Device();
        var data = new DataOptions();
        var output = new Option<string?>("--out", "-o") { Description = "Folder for confusion-matrix.png, class-scores.png/svg and misclassified.png [default: the checkpoint's folder]" };
        var command = new Command("eval",
            "Evaluate a checkpoint or an ONNX model on the test set of the data it was trained on (or --dataset): accuracy, per-class precision/recall/F1, confusion matrix, pictures")
        {
            checkpoint, device, output,
        };
        data.AddTo(command);
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(checkpoint)!;
            var file = ModelFile.Read(path);
            var trainedOn = file.TrainedOn;
            int seed = int.TryParse(file.Metadata.GetValueOrDefault("seed"), System.Globalization.CultureInfo.InvariantCulture, out int s) ? s : 1;
            var dataset = data.Load(parsed, seed, trainedOn);
            using var accelerator = CommandLine.OpenDevice(parsed.GetValue(device)!);
            using (var model = file.Build(accelerator))
            {
                AnsiConsole.MarkupLineInterpolated($"[bold]{model.Name}[/] from {path} (epoch {SharedOptions.Printable(file.Metadata.GetValueOrDefault("epoch", "?"))})");
                DataFit.Require(model, dataset);
                // Normalised as the model's training data was, whatever data set it is evaluated on.
                using var test = DeviceDataset.From(accelerator, dataset.Test, trainedOn.Normalization);
                using var evaluator = new Evaluator(model, model.MaxBatch);
                var result = evaluator.Evaluate(test, keepOutputs: true);
                var confusion = ConfusionMatrix.From(test.HostLabels.ToArray(), result.Predictions!, model.Classes);
                ReportPrinter.Evaluation("test", result.Loss, confusion, trainedOn.ClassNames);
                string directory = parsed.GetValue(output) ?? Path.GetDirectoryName(Path.GetFullPath(path))!;
                var pictures = EvaluationPictures.Write(directory, dataset.Test, trainedOn.ClassNames, result, confusion,
                    model.Loss == LossKind.SigmoidBinaryCrossEntropy, model.Name);
                AnsiConsole.MarkupLineInterpolated($"[grey]wrote {string.Join(", ", pictures)}[/]");
            }
            return 0;
        });
        return command;
    }
}
