using System.CommandLine;
using System.Globalization;
using GpuConvNet.Inference;
using GpuConvNet.Metrics;
using GpuConvNet.Reports;
using GpuConvNet.Training;
using Spectre.Console;

namespace GpuConvNet.Cli.Commands;

/// <summary>
/// <c>gpuconvnet eval</c>: a checkpoint's (or an ONNX model's) test-set metrics and pictures; given several, each
/// one's accuracy and the ensemble's (their probabilities averaged), with the ensemble's metrics and pictures.
/// </summary>
public static class EvalCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var checkpoints = new Argument<string[]>("checkpoints")
        {
            Description = "A .safetensors checkpoint written by 'gpuconvnet train', or an .onnx model; several: an ensemble, their probabilities averaged",
            Arity = ArgumentArity.OneOrMore,
        };
        var device = SharedOptions.Device();
        var data = new DataOptions();
        var output = new Option<string?>("--out", "-o") { Description = "Folder for confusion-matrix.png, class-scores.png/svg and misclassified.png [default: the checkpoint's folder; for an ensemble, ensemble/ in the first member's folder]" };
        var command = new Command("eval",
            "Evaluate a checkpoint or an ONNX model (or an ensemble of them) on the test set of the data it was trained on (or --dataset): accuracy, per-class precision/recall/F1, confusion matrix, pictures")
        {
            checkpoints, device, output,
        };
        data.AddTo(command);
        command.SetAction(parsed =>
        {
            var paths = parsed.GetValue(checkpoints)!;
            var ensemble = Ensemble.Read(paths);
            var trainedOn = ensemble.TrainedOn;
            var dataset = data.Load(parsed, SplitSeed(ensemble), trainedOn);
            using var accelerator = CommandLine.OpenDevice(parsed.GetValue(device)!);
            using (var models = ensemble.Build(accelerator))
            {
                for (int i = 0; i < models.Models.Count; i++)
                {
                    var member = ensemble.Members[i];
                    AnsiConsole.MarkupLineInterpolated($"[bold]{models.Models[i].Name}[/] from {member.Path} (epoch {SharedOptions.Printable(member.File.Metadata.GetValueOrDefault("epoch", "?"))})");
                    DataFit.Require(models.Models[i], dataset);
                }
                var members = Evaluate(models, dataset.Test);
                bool several = members.Count > 1;
                var labels = dataset.Test.Labels.Select(l => (int)l).ToArray();
                var combined = members[0];
                if (several)
                {
                    for (int i = 0; i < members.Count; i++)
                    {
                        AnsiConsole.MarkupLineInterpolated(
                            $"member {i + 1}, {models.Models[i].Name} from {ensemble.Members[i].Path}: test accuracy {members[i].Accuracy:P2}, loss {members[i].Loss:F4}");
                    }
                    var score = EnsembleScore.Of([.. members.Select(m => m.Logits!)], labels, trainedOn.Classes, models.SigmoidOutputs);
                    combined = new Evaluation(score.Loss, score.Accuracy, score.Predictions, score.Logits);
                }
                var confusion = ConfusionMatrix.From(labels, combined.Predictions!, trainedOn.Classes);
                string title = several ? $"ensemble of {models.Models.Count}" : models.Models[0].Name;
                ReportPrinter.Evaluation(several ? $"test, {title}" : "test", combined.Loss, confusion, trainedOn.ClassNames);
                // An ensemble's pictures go beside, not over, those of the first member's own run.
                string directory = parsed.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(paths[0]))!, several ? "ensemble" : "");
                var pictures = EvaluationPictures.Write(directory, dataset.Test, trainedOn.ClassNames, combined, confusion, models.SigmoidOutputs, title);
                AnsiConsole.MarkupLineInterpolated($"[grey]wrote {string.Join(", ", pictures)}[/]");
            }
            return 0;
        });
        return command;
    }

    // Each member's evaluation of the test images, normalised as its own training data was, with its logits.
    private static List<Evaluation> Evaluate(LoadedEnsemble models, Data.LabeledImages test)
    {
        var evaluations = new List<Evaluation>();
        for (int i = 0; i < models.Models.Count; i++)
        {
            var model = models.Models[i];
            using var data = DeviceDataset.From(model.Accelerator!, test, models.Ensemble.Members[i].File.TrainedOn.Normalization);
            using var evaluator = new Evaluator(model, model.MaxBatch);
            evaluations.Add(evaluator.Evaluate(data, keepOutputs: true));
        }
        return evaluations;
    }

    // The seed that holds out an image folder's test share (without test/): the run's. Members trained with different
    // seeds held out different images, so some would be tested on pictures they learnt from: refused.
    private static int SplitSeed(Ensemble ensemble)
    {
        var seeds = ensemble.Members.Select(m => int.TryParse(m.File.Metadata.GetValueOrDefault("seed"), CultureInfo.InvariantCulture, out int s) ? s : 1).ToList();
        int other = seeds.FindIndex(s => s != seeds[0]);
        if (ensemble.TrainedOn.TestFraction is not null && other > 0)
        {
            throw new UserInputException(
                $"{ensemble.Members[other].Path} was trained with seed {seeds[other]} and {ensemble.Members[0].Path} with {seeds[0]}: each held out a different share of {ensemble.TrainedOn.Dataset} as its test set, so each would be tested on images another learnt from; evaluate them on a data set with a test/ folder");
        }
        return seeds[0];
    }
}
