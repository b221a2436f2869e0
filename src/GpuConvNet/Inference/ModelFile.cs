using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Nn;
using GpuConvNet.Onnx;

namespace GpuConvNet.Inference;

/// <summary>
/// A model to run, from either kind of file: a checkpoint (<c>.safetensors</c>, rebuilt from the zoo) or an ONNX graph
/// (<c>.onnx</c>, built from its nodes). Read first for what it says about its data (before a device is opened), then
/// built on an accelerator.
/// </summary>
public sealed class ModelFile
{
    private readonly Func<Accelerator, int, Model> build;

    private ModelFile(IReadOnlyDictionary<string, string> metadata, TrainedOn trainedOn, Func<Accelerator, int, Model> build)
    {
        Metadata = metadata;
        TrainedOn = trainedOn;
        this.build = build;
    }

    /// <summary>Its metadata (a checkpoint's, or an ONNX model's metadata properties).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>What the model learnt from: classes, input, preprocessing, normalisation.</summary>
    public TrainedOn TrainedOn { get; }

    /// <summary>Reads <paramref name="path"/>: an ONNX model if it ends in <c>.onnx</c>, else a checkpoint (a <see cref="UserInputException"/> if it is neither).</summary>
    public static ModelFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OnnxFormat.IsOnnx(path))
        {
            var onnx = OnnxModel.Read(path);
            return new ModelFile(onnx.Metadata, onnx.TrainedOn, onnx.Build);
        }
        var checkpoint = SafeTensors.Read(path);
        var trainedOn = TrainedOn.From(checkpoint.Metadata, path);
        return new ModelFile(checkpoint.Metadata, trainedOn, (accelerator, maxBatch) => LoadedModel.OpenWithData(checkpoint, accelerator, maxBatch).Model);
    }

    /// <summary>The model built on <paramref name="accelerator"/> for batches up to <paramref name="maxBatch"/>, its weights loaded.</summary>
    public Model Build(Accelerator accelerator, int maxBatch = 256) => build(accelerator, maxBatch);
}
