using System.CommandLine;
using GpuConvNet.Checkpoints;
using GpuConvNet.Metrics;
using GpuConvNet.Nn;
using GpuConvNet.Reports;
using GpuConvNet.Training;
using Spectre.Console;

namespace GpuConvNet.Cli.Commands;

/// <summary><c>gpuconvnet eval</c>: a checkpoint's test-set metrics and pictures.</summary>
public static class EvalCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var checkpoint = SharedOptions.Checkpoint();
        var device = SharedOptions.Device();
        var data = SharedOptions.Data();
        var output = new Option<string?>("--out", "-o") { Description = "Folder for confusion-matrix.png, class-scores.png/svg and misclassified.png [default: the checkpoint's folder]" };
        var command = new Command("eval", "Evaluate a checkpoint on the MNIST test set: accuracy, per-class precision/recall/F1, confusion matrix, pictures")
        {
            checkpoint, device, data, output,
        };
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(checkpoint)!;
            var mnist = SharedOptions.LoadMnist(parsed.GetValue(data));
            using var accelerator = CommandLine.OpenDevice(parsed.GetValue(device)!);
            var (model, metadata) = LoadedModel.Open(path, accelerator);
            using (model)
            {
                AnsiConsole.MarkupLineInterpolated($"[bold]{model.Name}[/] from {path} (epoch {SharedOptions.Printable(metadata.GetValueOrDefault("epoch", "?"))})");
                DataFit.Require(model, mnist.Test, Path.Combine(mnist.Directory, Data.MnistFile.TestImages.Name));
                using var test = DeviceDataset.From(accelerator, mnist.Test);
                using var evaluator = new Evaluator(model, model.MaxBatch);
                var result = evaluator.Evaluate(test, keepOutputs: true);
                var confusion = ConfusionMatrix.From(test.HostLabels.ToArray(), result.Predictions!, model.Classes);
                ReportPrinter.Evaluation("test", result.Loss, confusion);
                string directory = parsed.GetValue(output) ?? Path.GetDirectoryName(Path.GetFullPath(path))!;
                var pictures = EvaluationPictures.Write(directory, mnist.Test, result, confusion, model.Loss == LossKind.SigmoidBinaryCrossEntropy, model.Name);
                AnsiConsole.MarkupLineInterpolated($"[grey]wrote {string.Join(", ", pictures)}[/]");
            }
            return 0;
        });
        return command;
    }
}
