using System.CommandLine;
using GpuConvNet.Checkpoints;
using GpuConvNet.Onnx;
using Spectre.Console;

namespace GpuConvNet.Cli.Commands;

/// <summary><c>gpuconvnet export</c>: a checkpoint as an ONNX model, for ONNX Runtime, browsers, TensorRT, OpenVINO.</summary>
public static class ExportCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "A .safetensors checkpoint written by 'gpuconvnet train'" };
        var output = new Option<string?>("--out", "-o") { Description = "The .onnx file to write [default: the checkpoint's path ending in .onnx]" };
        var command = new Command("export",
            $"Write a checkpoint's model as an ONNX graph (opset {OnnxFormat.Opset}, any batch size, inference: batch norm with its running statistics, no dropout). " +
            "Input 'input' (batch, 1, H, W) of normalised pixels; outputs 'logits' and 'probabilities'; metadata: the model, classes, preprocessing, normalisation and training summary")
        {
            checkpoint, output,
        };
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(checkpoint)!;
            string target = parsed.GetValue(output) ?? Path.ChangeExtension(path, OnnxFormat.Extension);
            if (!OnnxFormat.IsOnnx(target))
            {
                throw new UserInputException($"--out {target} does not end in {OnnxFormat.Extension}; ONNX models are .onnx files (predict, eval and serve tell them by it)");
            }
            var file = SafeTensors.Read(path);
            // The weights are only copied out: the checked CPU engine is always there and needs no warm-up.
            using var accelerator = CommandLine.OpenDevice("cpu", quiet: true);
            var (model, metadata, trainedOn) = LoadedModel.OpenWithData(file, accelerator, maxBatch: 1);
            using (model)
            {
                OnnxExport.Save(target, model, trainedOn, metadata);
                AnsiConsole.MarkupLineInterpolated($"wrote [bold]{target}[/]: {model.Name}, {Words.Count(model.ParameterCount, "parameter")}, opset {OnnxFormat.Opset}");
            }
            return 0;
        });
        return command;
    }
}
