using GpuConvNet.Data;
using GpuConvNet.Imaging;

namespace GpuConvNet.Datasets;

/// <summary>How to load a data set named by <see cref="DatasetCatalog.Load"/>.</summary>
public sealed record DatasetOptions
{
    /// <summary>MNIST's folder (<c>--data</c>), or null for the environment variable or the per-user cache.</summary>
    public string? MnistDirectory { get; init; }

    /// <summary>Image folders: how pictures become images (default: resize to 28 × 28).</summary>
    public Preprocessing? Preprocessing { get; init; }

    /// <summary>Image folders without a test/ folder: the share of each class held out as the test set.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Image folders: the seed of the held-out choice.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Where prepared image folders are cached (default: the per-user cache's <c>datasets</c>, see <see cref="MnistOptions.CacheRoot"/>).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Told what happened that the user should know (images skipped, resized, read from the cache).</summary>
    public Action<string>? Note { get; init; }

    /// <summary>Told of MNIST download progress.</summary>
    public Action<DownloadProgress>? Download { get; init; }
}
