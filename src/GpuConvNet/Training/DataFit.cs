using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Data;
using GpuConvNet.Datasets;
using GpuConvNet.Nn;

namespace GpuConvNet.Training;

/// <summary>Checks, before anything is uploaded or trained, that a data set and a model fit each other.</summary>
public static class DataFit
{
    /// <summary>
    /// Throws <see cref="UserInputException"/> naming <paramref name="source"/> unless its images fit
    /// <paramref name="model"/>'s input: as many pixels, and for a convolutional input the same height and width.
    /// </summary>
    public static void Require(Model model, LabeledImages images, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        var input = model.Input;
        bool fits = input.IsFlat ? images.PixelsPerImage == input.Size
            : input.Channels == 1 && images.Rows == input.Height && images.Cols == input.Width;
        if (!fits)
        {
            string wanted = input.IsFlat ? $"{input.Size} pixels" : $"{input.Height}×{input.Width}";
            throw new UserInputException(
                $"{source}: its images are {images.Rows}×{images.Cols}, but this {model.Name} takes {wanted}; use a data set of that size (or train a new model on this one)");
        }
    }

    /// <summary>
    /// Throws <see cref="UserInputException"/> unless a model can be evaluated on <paramref name="data"/>: the same
    /// image size (see <see cref="Require"/>) and as many classes.
    /// </summary>
    public static void Require(Model model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        Require(model, data.Test, data.TestSource);
        if (model.Classes != data.Classes)
        {
            throw new UserInputException($"{data.Spec} has {data.Classes} classes but this {model.Name} tells {model.Classes} apart; evaluate it on the data set it was trained on");
        }
    }

    /// <summary>Resuming: the data must be what the checkpoint at <paramref name="path"/> was trained on (size and classes).</summary>
    public static void RequireSame(TrainedOn checkpoint, TrainedOn data, string path)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(data);
        if (checkpoint.Input != data.Input || !checkpoint.ClassNames.SequenceEqual(data.ClassNames, StringComparer.Ordinal))
        {
            throw new UserInputException(
                $"{path} was trained on {checkpoint.Dataset} ({checkpoint.Classes} classes, {checkpoint.Input.Height}×{checkpoint.Input.Width}), but the data given is {data.Dataset} " +
                $"({data.Classes} classes, {data.Input.Height}×{data.Input.Width}); resume with --dataset {checkpoint.Dataset}");
        }
    }

    /// <summary>
    /// Builds <paramref name="model"/>, telling images too small for its convolutions and pools in the user's words
    /// (a lenet5 needs at least 12×12) instead of a layer's shape error.
    /// </summary>
    public static void Build(Model model, Accelerator accelerator, int maxBatch, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            model.Build(accelerator, maxBatch, seed);
        }
        catch (ArgumentException e)
        {
            throw new UserInputException(
                $"{model.Name} cannot take {model.Input.Height}×{model.Input.Width} images ({e.Message.ReplaceLineEndings(" ")}); use larger images (--size) or a model with fewer pools, such as mlp", e);
        }
    }
}
