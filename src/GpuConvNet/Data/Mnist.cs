using System.Security.Cryptography;

namespace GpuConvNet.Data;

/// <summary>
/// Finds, downloads and reads MNIST. The folder comes from, in order: the --data argument, the
/// <c>GPUCONVNET_DATA</c> environment variable, or the per-user cache, which is filled from public mirrors
/// (<c>GPUCONVNET_MNIST_MIRRORS</c> replaces the list) when files are missing.
/// </summary>
/// <remarks>
/// A folder the user names (--data or GPUCONVNET_DATA) is trusted: its files are not checksum-checked, so a user may
/// bring their own copy (gzip or raw, canonical or dotted names), but the IDX reader still validates every file's
/// structure. Downloads and files already in the cache must match the accepted SHA-256 digests of
/// <see cref="MnistFile"/>; a cached file that does not is downloaded again.
/// </remarks>
public static class Mnist
{
    /// <summary>Number of MNIST classes (the digits 0..9).</summary>
    public const int ClassCount = 10;

    /// <summary>Rows and columns of an MNIST image.</summary>
    public const int ImageSize = 28;

    /// <summary>The class names: the digits "0" to "9".</summary>
    public static IReadOnlyList<string> ClassNames { get; } = [.. Enumerable.Range(0, ClassCount).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>
    /// The training and test sets in the four files at <paramref name="paths"/>, checking their structure, that images
    /// and labels agree, and that the images are MNIST's 28×28.
    /// </summary>
    /// <exception cref="UserInputException">A file is missing or damaged, or holds images of another size.</exception>
    public static (LabeledImages Train, LabeledImages Test) Read(MnistPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        // The two sets are independent and decompressing train-images dominates: read them side by side.
        var train = Task.Run(() => IdxFile.ReadLabeledImages(paths.TrainImages, paths.TrainLabels, ClassCount));
        var test = IdxFile.ReadLabeledImages(paths.TestImages, paths.TestLabels, ClassCount);
        var trainImages = train.GetAwaiter().GetResult();
        // A checkpoint of "mnist" promises 28×28 inputs: predict, eval and serve rely on it.
        foreach (var (images, file) in new[] { (trainImages, paths.TrainImages), (test, paths.TestImages) })
        {
            if (images.Rows != ImageSize || images.Cols != ImageSize)
            {
                throw new UserInputException(
                    $"{file} holds {images.Cols}×{images.Rows} images, not MNIST's {ImageSize}×{ImageSize}; for IDX files of another size use --dataset idx:{paths.Directory}");
            }
        }
        return (trainImages, test);
    }

    /// <summary>The four files to use under <paramref name="options"/>, downloading missing ones into the cache.</summary>
    /// <exception cref="UserInputException">A named folder lacks files, or the cache cannot be filled.</exception>
    public static MnistPaths Locate(MnistOptions options, Action<DownloadProgress>? progress = null, CancellationToken cancel = default) =>
        LocateAsync(options, progress, cancel).GetAwaiter().GetResult();

    /// <summary>The four files to use under <paramref name="options"/>, downloading missing ones into the cache.</summary>
    /// <exception cref="UserInputException">A named folder lacks files, or the cache cannot be filled.</exception>
    public static async Task<MnistPaths> LocateAsync(MnistOptions options, Action<DownloadProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.DataDirectory is not null)
        {
            return FindInUserFolder(options.DataDirectory, $"--data {options.DataDirectory}");
        }
        if (options.EnvironmentDirectory is not null)
        {
            return FindInUserFolder(options.EnvironmentDirectory, $"{MnistOptions.DataVariable}={options.EnvironmentDirectory}");
        }
        return await FillCacheAsync(options, progress, cancel).ConfigureAwait(false);
    }

    private static MnistPaths FindInUserFolder(string directory, string origin)
    {
        const string advice = "the folder must hold train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (gzip or uncompressed)";
        if (!Directory.Exists(directory))
        {
            throw new UserInputException($"{origin}: no such folder; {advice}");
        }
        var found = new string[MnistFile.All.Count];
        var missing = new List<string>();
        for (int i = 0; i < found.Length; i++)
        {
            var file = MnistFile.All[i];
            string? path = file.AlternativeNames.Select(name => Path.Combine(directory, name)).FirstOrDefault(File.Exists);
            if (path is null)
            {
                missing.Add(file.Name);
            }
            found[i] = path ?? "";
        }
        if (missing.Count > 0)
        {
            throw new UserInputException($"{origin}: missing {string.Join(", ", missing)}; {advice}");
        }
        return new MnistPaths(directory, found[0], found[1], found[2], found[3]);
    }

    private static async Task<MnistPaths> FillCacheAsync(MnistOptions options, Action<DownloadProgress>? progress, CancellationToken cancel)
    {
        string cache = options.CacheDirectory;
        string where = $"no --data given, {MnistOptions.DataVariable} not set, and the cache {cache}";
        try
        {
            Directory.CreateDirectory(cache);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException(
                $"MNIST: {where} cannot be created ({OneLine(e.Message)}); pass --data DIR or set {MnistOptions.DataVariable} to a folder holding the four MNIST .gz files, or set XDG_CACHE_HOME to a writable folder", e);
        }
        using var handler = new SocketsHttpHandler { ConnectTimeout = options.StallTimeout, Proxy = new LoopbackBypassingProxy(HttpClient.DefaultProxy) };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("GpuConvNet/1.0");
        var downloader = new MnistDownloader(http, options.StallTimeout, options.MirrorDeadline, progress);
        // Partial downloads of runs that were killed (an hour old: a concurrent download's are younger).
        AtomicFile.DeleteStaleTemporaries(cache, TimeSpan.FromHours(1), "part");
        var paths = new string[MnistFile.All.Count];
        for (int i = 0; i < paths.Length; i++)
        {
            var file = MnistFile.All[i];
            string path = Path.Combine(cache, file.Name);
            paths[i] = path;
            string? damage = CachedCopyProblem(file, path);
            if (damage is null)
            {
                continue;
            }
            var failures = await downloader.DownloadAsync(file, options.Mirrors, path, cancel).ConfigureAwait(false);
            if (failures is not null)
            {
                string tried = options.Mirrors.Count == 0 ? "no mirrors are configured" : string.Join("; ", failures);
                throw new UserInputException(
                    $"MNIST: {where} {damage}, and downloading it failed from every mirror: {tried}. " +
                    $"Pass --data DIR or set {MnistOptions.DataVariable} to a folder holding the four MNIST .gz files " +
                    $"({string.Join(", ", MnistFile.All.Select(f => f.Name))}), or copy them into {cache}");
            }
        }
        return new MnistPaths(cache, paths[0], paths[1], paths[2], paths[3]);
    }

    // Null when the cached copy is present and genuine, else what is wrong with it (for the message).
    private static string? CachedCopyProblem(MnistFile file, string path)
    {
        if (!File.Exists(path))
        {
            return $"has no {file.Name}";
        }
        try
        {
            using var stream = File.OpenRead(path);
            string sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
            return file.Accepts(sha256) ? null : $"holds a damaged {file.Name} (SHA-256 {sha256})";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"holds an unreadable {file.Name} ({OneLine(e.Message)})";
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
