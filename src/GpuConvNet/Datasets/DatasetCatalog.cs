namespace GpuConvNet.Datasets;

/// <summary>
/// Data sets by name: <c>mnist</c> (downloaded and cached, or <c>--data</c>), <c>idx:DIR</c> (any IDX pair set in
/// MNIST's layout: Fashion-MNIST, EMNIST, KMNIST…), <c>folder:DIR</c> (torchvision's ImageFolder: a sub-folder per class).
/// </summary>
public static class DatasetCatalog
{
    /// <summary>What <c>--dataset</c> accepts, for help and messages.</summary>
    public const string Forms = "mnist, idx:DIR (IDX files in MNIST's layout) or folder:DIR (a sub-folder of images per class)";

    /// <summary>Loads the data set <paramref name="spec"/> names.</summary>
    /// <exception cref="UserInputException">The name is not one of the forms, or the data cannot be used; the message says why.</exception>
    public static Dataset Load(string spec, DatasetOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        if (spec.Equals("mnist", StringComparison.OrdinalIgnoreCase))
        {
            return MnistDataset.Load(options.MnistDirectory, options.Download);
        }
        if (spec.StartsWith("idx:", StringComparison.OrdinalIgnoreCase))
        {
            return IdxDataset.Load(Folder(spec, 4));
        }
        if (spec.StartsWith("folder:", StringComparison.OrdinalIgnoreCase))
        {
            return ImageFolderDataset.Load(Folder(spec, 7), options);
        }
        throw new UserInputException($"--dataset {spec}: not a data set; use {Forms}");
    }

    private static string Folder(string spec, int prefix)
    {
        string path = spec[prefix..];
        if (path.Length == 0)
        {
            throw new UserInputException($"--dataset {spec}: name a folder after the colon, e.g. {spec}./my-images");
        }
        string full = Path.GetFullPath(path);
        if (!System.IO.Directory.Exists(full))
        {
            throw new UserInputException($"--dataset {spec}: {full} is not a folder");
        }
        return full;
    }
}
