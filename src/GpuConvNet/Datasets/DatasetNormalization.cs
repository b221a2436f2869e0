using GpuConvNet.Data;
using GpuConvNet.Kernels;

namespace GpuConvNet.Datasets;

/// <summary>
/// A data set's input normalisation computed from its training images: the mean and standard deviation of their pixels
/// scaled to [0, 1], which is how MNIST's (0.1307, 0.3081) were found.
/// </summary>
public static class DatasetNormalization
{
    /// <summary>
    /// The mean and standard deviation of the pixels / 255 of <paramref name="train"/>, the training images of
    /// <paramref name="source"/>. Statistics that round to MNIST's published four digits are MNIST's own (an
    /// <c>idx:</c> folder of MNIST's files), and get MNIST's values exactly, so that such a set trains as <c>mnist</c> does.
    /// </summary>
    /// <exception cref="UserInputException">There are no training images.</exception>
    public static Normalization Of(LabeledImages train, string source)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Images.Length == 0)
        {
            throw new UserInputException($"{source}: there are no training images; a data set needs some to train on");
        }
        // 256 possible values: a histogram makes the sums exact and the pass a count.
        var counts = new long[256];
        foreach (byte pixel in train.Images)
        {
            counts[pixel]++;
        }
        double sum = 0, squares = 0;
        for (int p = 0; p < counts.Length; p++)
        {
            double value = p / 255.0;
            sum += counts[p] * value;
            squares += counts[p] * value * value;
        }
        double mean = sum / train.Images.Length;
        double std = Math.Sqrt(Math.Max(0, squares / train.Images.Length - mean * mean));
        if (std == 0)
        {
            // Pictures that all prepare to one level (plain ones lose their background) have no spread to scale by:
            // they are only centred.
            return new Normalization((float)mean, 1f);
        }
        var mnist = Normalization.Mnist;
        return RoundsTo(mean, mnist.Mean) && RoundsTo(std, mnist.Std) ? mnist : new Normalization((float)mean, (float)std);
    }

    private static bool RoundsTo(double value, float published) => Math.Round(value, 4) == Math.Round((double)published, 4);
}
