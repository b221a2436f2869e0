using GpuConvNet.Data;
using GpuConvNet.Imaging;
using GpuConvNet.Kernels;

namespace GpuConvNet.Datasets;

/// <summary>
/// MNIST as a data set (<c>--dataset mnist</c>): its files found or downloaded by <see cref="Mnist"/>, its digits
/// named "0" to "9", pictures prepared as MNIST's digits were, and its standard normalisation.
/// </summary>
public static class MnistDataset
{
    /// <summary>
    /// Finds (downloading if needed) and reads MNIST for a run with <paramref name="dataDirectory"/> as the --data
    /// argument (null when not given). <paramref name="progress"/> is called from the download loop, possibly on a
    /// thread-pool thread, once per received block and once at the start of each file.
    /// </summary>
    /// <exception cref="UserInputException">No usable copy was found or could be downloaded, or a file is damaged; the message says where it looked and what to do.</exception>
    public static Dataset Load(string? dataDirectory = null, Action<DownloadProgress>? progress = null, CancellationToken cancel = default) =>
        Load(MnistOptions.FromEnvironment(dataDirectory), progress, cancel);

    /// <summary>Finds (downloading if needed) and reads MNIST as <paramref name="options"/> say.</summary>
    /// <exception cref="UserInputException">No usable copy was found or could be downloaded, or a file is damaged.</exception>
    public static Dataset Load(MnistOptions options, Action<DownloadProgress>? progress = null, CancellationToken cancel = default)
    {
        var paths = Mnist.Locate(options, progress, cancel);
        var (train, test) = Mnist.Read(paths);
        return new Dataset("mnist", train, test, Mnist.ClassNames, Preprocessing.Digit, Normalization.Mnist, paths.Directory, paths.TrainImages, paths.TestImages);
    }
}
