namespace GpuConvNet.Data;

/// <summary>One of the four MNIST files: its canonical name and the SHA-256 digests a download may have.</summary>
/// <param name="Name">The canonical file name, e.g. <c>train-images-idx3-ubyte.gz</c>.</param>
/// <param name="AcceptedSha256">Lower-case hex SHA-256 digests of the .gz file that are accepted as genuine.</param>
public sealed record MnistFile(string Name, IReadOnlyList<string> AcceptedSha256)
{
    /// <summary>60,000 training images.</summary>
    public static MnistFile TrainImages { get; } = new("train-images-idx3-ubyte.gz",
    [
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        // The lossless rebuild shipped beside this repository (../shared/data/mnist/README.md): same pixels except
        // where the original value was 1, different gzip bytes.
        "a495c04aeb036225fb56cf3671e29e0ea147d9e6e209d1acd21e6f3d1f917efc",
    ]);

    /// <summary>60,000 training labels.</summary>
    public static MnistFile TrainLabels { get; } = new("train-labels-idx1-ubyte.gz",
        ["3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"]);

    /// <summary>10,000 test images.</summary>
    public static MnistFile TestImages { get; } = new("t10k-images-idx3-ubyte.gz",
        ["8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"]);

    /// <summary>10,000 test labels.</summary>
    public static MnistFile TestLabels { get; } = new("t10k-labels-idx1-ubyte.gz",
        ["f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"]);

    /// <summary>The four files, in the order they are fetched and read.</summary>
    public static IReadOnlyList<MnistFile> All { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>The names a user's own copy of this file may have: the .gz name, the uncompressed name, and the dotted variant some mirrors use (<c>train-images.idx3-ubyte</c>).</summary>
    public IReadOnlyList<string> AlternativeNames
    {
        get
        {
            string raw = Name[..^".gz".Length];
            int dash = raw.IndexOf("-idx", StringComparison.Ordinal);
            string dotted = string.Concat(raw.AsSpan(0, dash), ".", raw.AsSpan(dash + 1));
            return [Name, raw, dotted, dotted + ".gz"];
        }
    }

    /// <summary>True when <paramref name="sha256"/> (hex, any case) is one of <see cref="AcceptedSha256"/>.</summary>
    public bool Accepts(string sha256) => AcceptedSha256.Contains(sha256, StringComparer.OrdinalIgnoreCase);
}
