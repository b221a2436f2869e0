namespace GpuConvNet.Data;

/// <summary>
/// Where <see cref="Mnist"/> looks for the data and where it downloads it from. <see cref="FromEnvironment"/> builds
/// the usual options from a <c>--data</c> argument and the environment.
/// </summary>
public sealed class MnistOptions
{
    /// <summary>The environment variable naming a folder with the four MNIST files (used when no --data is given).</summary>
    public const string DataVariable = "GPUCONVNET_DATA";

    /// <summary>The environment variable that replaces the mirror list: comma-separated base URLs.</summary>
    public const string MirrorsVariable = "GPUCONVNET_MNIST_MIRRORS";

    /// <summary>Public mirrors of the four .gz files, tried in order.</summary>
    public static IReadOnlyList<Uri> DefaultMirrors { get; } =
    [
        new("https://ossci-datasets.s3.amazonaws.com/mnist/"),
        new("https://storage.googleapis.com/cvdf-datasets/mnist/"),
        new("http://yann.lecun.com/exdb/mnist/"),
    ];

    /// <summary>A folder the user named with --data, or null.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The folder named by <see cref="DataVariable"/>, or null when it is unset.</summary>
    public string? EnvironmentDirectory { get; init; }

    /// <summary>The per-user cache that downloads go to.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>Base URLs to download from, tried in order; each must end with '/'.</summary>
    public required IReadOnlyList<Uri> Mirrors { get; init; }

    /// <summary>How long a download may wait for a connection, the response headers or the next bytes before the mirror counts as failed.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one file may take from one mirror in all: a mirror that trickles a byte now and then never stalls, but
    /// is given up at this deadline and the next mirror tried. MNIST's largest file is 9.9 MB: five minutes is 33 KB/s.
    /// </summary>
    public TimeSpan MirrorDeadline { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The options for a run: <paramref name="dataDirectory"/> (the --data argument, may be null), then
    /// <see cref="DataVariable"/>, then the cache <c>$XDG_CACHE_HOME/gpuconvnet/mnist</c> when XDG_CACHE_HOME is set,
    /// else <c>LocalApplicationData/gpuconvnet/mnist</c>; mirrors from <see cref="MirrorsVariable"/> or
    /// <see cref="DefaultMirrors"/>. <paramref name="environment"/> reads a variable (defaults to the process environment).
    /// </summary>
    /// <exception cref="UserInputException">The mirror variable holds something that is not an http(s) URL.</exception>
    public static MnistOptions FromEnvironment(string? dataDirectory, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return new MnistOptions
        {
            DataDirectory = NullIfBlank(dataDirectory),
            EnvironmentDirectory = NullIfBlank(environment(DataVariable)),
            CacheDirectory = DefaultCacheDirectory(environment),
            Mirrors = ParseMirrors(environment(MirrorsVariable)) ?? DefaultMirrors,
        };
    }

    /// <summary>Environment variable naming the cache's root folder (MNIST goes into mnist/, prepared image folders into datasets/).</summary>
    public const string CacheVariable = "GPUCONVNET_CACHE";

    /// <summary>
    /// The per-user cache folder of MNIST: under $GPUCONVNET_CACHE when set, else under XDG_CACHE_HOME/gpuconvnet, else
    /// under the local application data folder's gpuconvnet.
    /// </summary>
    public static string DefaultCacheDirectory(Func<string, string?>? environment = null) => Path.Combine(CacheRoot(environment), "mnist");

    /// <summary>The root of the per-user cache (see <see cref="DefaultCacheDirectory"/>).</summary>
    public static string CacheRoot(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (NullIfBlank(environment(CacheVariable)) is { } explicitRoot)
        {
            return explicitRoot;
        }
        string? xdg = NullIfBlank(environment("XDG_CACHE_HOME"));
        string root = xdg ?? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(root))
        {
            // No home directory at all (a bare container): the temp folder still works.
            root = Path.GetTempPath();
        }
        return Path.Combine(root, "gpuconvnet");
    }

    /// <summary>Parses a comma-separated list of base URLs; null for a null or blank list.</summary>
    /// <exception cref="UserInputException">An entry is not an absolute http or https URL.</exception>
    public static IReadOnlyList<Uri>? ParseMirrors(string? list)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return null;
        }
        var mirrors = new List<Uri>();
        foreach (string entry in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string withSlash = entry.EndsWith('/') ? entry : entry + "/";
            if (!Uri.TryCreate(withSlash, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new UserInputException(
                    $"{MirrorsVariable} contains '{entry}', which is not an http(s) URL; set it to comma-separated base URLs such as https://ossci-datasets.s3.amazonaws.com/mnist/ or unset it");
            }
            mirrors.Add(uri);
        }
        return mirrors.Count == 0 ? null : mirrors;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
