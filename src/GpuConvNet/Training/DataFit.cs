using GpuConvNet.Data;
using GpuConvNet.Nn;

namespace GpuConvNet.Training;

/// <summary>Checks, before anything is uploaded or trained, that a data set's images are what a model takes.</summary>
public static class DataFit
{
    /// <summary>
    /// Throws <see cref="UserInputException"/> naming <paramref name="file"/> unless its images fit
    /// <paramref name="model"/>'s input: as many pixels, and for a convolutional input the same height and width.
    /// </summary>
    public static void Require(Model model, MnistSet images, string file)
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
                $"{file}: its images are {images.Rows}×{images.Cols}, but {model.Name} takes {wanted}; use MNIST's 28×28 files");
        }
    }
}
