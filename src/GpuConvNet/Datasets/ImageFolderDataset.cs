using System.Globalization;
using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Text;
using GpuConvNet.Data;
using GpuConvNet.Imaging;

namespace GpuConvNet.Datasets;

/// <summary>
/// torchvision's ImageFolder convention: <c>DIR/&lt;class&gt;/*.png</c> (any format <see cref="ImageFile"/> reads, any
/// size, sub-folders included), classes named by their folders in ordinal order; with <c>DIR/train/&lt;class&gt;</c>
/// and <c>DIR/test/&lt;class&gt;</c> the split is the user's, else a share of each class is held out. Each picture is
/// converted once (<see cref="InputImage"/>: the same path as predictions) and the result cached, keyed by the files'
/// names, sizes and times and the preprocessing; the user's files are only read.
/// </summary>
/// <remarks>
/// Images that cannot be read (damaged, not an image, no digit found) are skipped, listed in <c>skipped.txt</c> in
/// the cache and reported, since one bad file among thousands should not stop a run; a class left without images is
/// an error, as are fewer than two classes or more than 256 (labels are bytes).
/// </remarks>
public static class ImageFolderDataset
{
    /// <summary>The most classes a data set may have: labels are stored in a byte.</summary>
    public const int MaxClasses = 256;

    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".pgm"];

    // Part of every cache key: raise it when preparing pictures changes, so that no cache holds the old results.
    private const int PreparationVersion = 2;

    /// <summary>Loads (or takes from the cache) the image folder <paramref name="directory"/>.</summary>
    /// <exception cref="UserInputException">The folder's layout cannot be used; the message says how to fix it.</exception>
    public static Dataset Load(string directory, DatasetOptions options)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        var preprocessing = options.Preprocessing ?? Preprocessing.Resize(28, 28);
        if (options.TestFraction is not (> 0 and < 1))
        {
            throw new UserInputException($"the test fraction must be between 0 and 1, not {options.TestFraction}");
        }
        string spec = "folder:" + directory;
        string trainRoot = Path.Combine(directory, "train");
        string testRoot = Path.Combine(directory, "test");
        bool split = System.IO.Directory.Exists(trainRoot);
        if (split && !System.IO.Directory.Exists(testRoot))
        {
            throw new UserInputException($"{spec}: it has train/ but no test/; add test/ with the same class folders, or move the class folders up to hold out a share of each");
        }
        var classes = ClassFolders(split ? trainRoot : directory, spec);
        if (split)
        {
            var testClasses = ClassFolders(testRoot, spec + "/test");
            if (!testClasses.SequenceEqual(classes, StringComparer.Ordinal))
            {
                throw new UserInputException($"{spec}: train/ has the classes {string.Join(", ", classes)} but test/ has {string.Join(", ", testClasses)}; both need the same class folders");
            }
        }
        var trainFiles = Files(split ? trainRoot : directory, classes, spec, options.Note);
        var testFiles = split ? Files(testRoot, classes, spec + "/test", options.Note) : null;
        string cache = CacheFolder(options, directory, preprocessing, split ? null : (options.TestFraction, options.Seed), trainFiles.Concat(testFiles ?? []));
        var (train, test) = FromCache(cache) ?? Prepare(cache, trainFiles, testFiles, classes.Count, preprocessing, options, spec);
        return new Dataset(spec, train, test, classes, preprocessing, DatasetNormalization.Of(train, spec), directory, split ? trainRoot : directory,
            split ? testRoot : $"{directory} (held out)")
        {
            HeldOut = split ? null : options.TestFraction,
        };
    }

    private static List<string> ClassFolders(string root, string spec)
    {
        var classes = System.IO.Directory.GetDirectories(root).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Select(n => n!)
            .Order(StringComparer.Ordinal).ToList();
        // Two class folders that are one folder (a link to the other) would label the same pictures twice.
        var byTarget = classes.GroupBy(c => RealPath(Path.Combine(root, c)), StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (byTarget is not null)
        {
            throw new UserInputException($"{spec}: the class folders {string.Join(" and ", byTarget)} are the same folder ({byTarget.Key}) through a link; each class needs pictures of its own");
        }
        return classes.Count switch
        {
            0 => throw new UserInputException($"{spec}: no class folders; put each class's images in a folder named after the class ({Path.Combine(root, "circle")}/*.png, {Path.Combine(root, "square")}/*.png, …)"),
            1 => throw new UserInputException($"{spec}: only one class ({classes[0]}); a classifier needs at least two class folders"),
            > MaxClasses => throw new UserInputException($"{spec}: {classes.Count:N0} class folders; at most {MaxClasses} classes are supported (labels are stored in a byte)"),
            _ => classes,
        };
    }

    private static List<(string Path, int Label)> Files(string root, List<string> classes, string spec, Action<string>? note)
    {
        var files = new List<(string, int)>();
        for (int label = 0; label < classes.Count; label++)
        {
            string folder = Path.Combine(root, classes[label]);
            var found = ImagesUnder(folder, note).Order(StringComparer.Ordinal).ToList();
            if (found.Count == 0)
            {
                throw new UserInputException($"{spec}: class '{classes[label]}' ({folder}) has no images ({string.Join(", ", Extensions)}); add some or remove the folder");
            }
            files.AddRange(found.Select(f => (f, label)));
        }
        return files;
    }

    private static string RealPath(string folder) => System.IO.Directory.ResolveLinkTarget(folder, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(folder);

    // The images in `folder` and its sub-folders, except those behind a linked folder: a link to a parent makes a cycle,
    // and one to another class's folder would label its pictures twice (and put the same picture in train and test).
    private static IEnumerable<string> ImagesUnder(string folder, Action<string>? note)
    {
        var skipped = new List<string>();
        var images = new FileSystemEnumerable<string>(folder, (ref FileSystemEntry entry) => entry.ToFullPath(), new EnumerationOptions { RecurseSubdirectories = true })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && Extensions.Contains(Path.GetExtension(entry.FileName).ToString().ToLowerInvariant()),
            ShouldRecursePredicate = (ref FileSystemEntry entry) =>
            {
                bool linked = (entry.Attributes & FileAttributes.ReparsePoint) != 0;
                if (linked)
                {
                    skipped.Add(entry.ToFullPath());
                }
                return !linked;
            },
        }.ToList();
        if (skipped.Count > 0)
        {
            note?.Invoke($"{folder}: {skipped.Count} linked folder{(skipped.Count == 1 ? "" : "s")} not followed ({string.Join(", ", skipped.Take(3))}{(skipped.Count > 3 ? ", …" : "")}); copy the pictures in to use them");
        }
        return images;
    }

    // The cache is keyed by everything the result depends on: a changed, added or removed file gives a new key.
    private static string CacheFolder(DatasetOptions options, string directory, Preprocessing preprocessing, (double Fraction, int Seed)? holdOut,
        IEnumerable<(string Path, int Label)> files)
    {
        var key = new StringBuilder();
        key.Append(CultureInfo.InvariantCulture, $"{PreparationVersion}\n{directory}\n{preprocessing.Name} {preprocessing.Width}x{preprocessing.Height}\n{holdOut}\n");
        foreach (var (path, label) in files)
        {
            var info = new FileInfo(path);
            key.Append(CultureInfo.InvariantCulture, $"{label} {Path.GetRelativePath(directory, path)} {info.Length} {info.LastWriteTimeUtc.Ticks}\n");
        }
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..24];
        string root = options.CacheDirectory ?? Path.Combine(MnistOptions.CacheRoot(), "datasets");
        return Path.Combine(root, $"{Path.GetFileName(directory)}-{hash}");
    }

    private static (LabeledImages Train, LabeledImages Test)? FromCache(string cache)
    {
        string[] names = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "test-images-idx3-ubyte.gz", "test-labels-idx1-ubyte.gz"];
        if (!names.All(n => File.Exists(Path.Combine(cache, n))))
        {
            return null;
        }
        try
        {
            return (IdxFile.ReadLabeledImages(Path.Combine(cache, names[0]), Path.Combine(cache, names[1]), MaxClasses),
                IdxFile.ReadLabeledImages(Path.Combine(cache, names[2]), Path.Combine(cache, names[3]), MaxClasses));
        }
        catch (UserInputException)
        {
            // A damaged cache entry is rebuilt from the pictures.
            return null;
        }
    }

    private static (LabeledImages Train, LabeledImages Test) Prepare(string cache, List<(string Path, int Label)> trainFiles,
        List<(string Path, int Label)>? testFiles, int classes, Preprocessing preprocessing, DatasetOptions options, string spec)
    {
        var all = trainFiles.Concat(testFiles ?? []).ToList();
        var prepared = new byte[all.Count][];
        var problems = new string?[all.Count];
        var sizes = new (int Width, int Height)[all.Count];
        Parallel.For(0, all.Count, i =>
        {
            try
            {
                var image = ImageFile.Read(all[i].Path, shrinkTo: InputImage.DecodeSide);
                sizes[i] = (image.Width, image.Height);
                // Decoded here rather than through InputImage.Read: the picture's size goes into the mixed-sizes note.
                prepared[i] = InputImage.FromRaster(image, all[i].Path, preprocessing);
            }
            catch (UserInputException e)
            {
                problems[i] = InputImage.WithoutName(e.Message, all[i].Path);
            }
        });
        Directory.CreateDirectory(cache);
        var skipped = Enumerable.Range(0, all.Count).Where(i => problems[i] is not null).Select(i => $"{all[i].Path}: {problems[i]}").ToList();
        AtomicFile.WriteAllText(Path.Combine(cache, "skipped.txt"), string.Concat(skipped.Select(s => s + "\n")), "list of skipped images");
        if (skipped.Count > 0)
        {
            options.Note?.Invoke($"skipped {skipped.Count:N0} of {all.Count:N0} images that cannot be used (first: {skipped[0]}); all are listed in {Path.Combine(cache, "skipped.txt")}");
        }
        var distinctSizes = sizes.Where((_, i) => problems[i] is null).Distinct().ToList();
        if (distinctSizes.Count > 1 || (distinctSizes.Count == 1 && distinctSizes[0] != (preprocessing.Width, preprocessing.Height)))
        {
            string sizeText = distinctSizes.Count == 1
                ? $"the images are {Describe(distinctSizes[0])}"
                : $"the images come in {distinctSizes.Count:N0} sizes, from {Describe(distinctSizes.MinBy(s => s.Width * s.Height))} to {Describe(distinctSizes.MaxBy(s => s.Width * s.Height))}";
            options.Note?.Invoke($"{sizeText}; each was prepared as {preprocessing.Width}×{preprocessing.Height} ({preprocessing.Name})");
        }
        var usable = Enumerable.Range(0, all.Count).Where(i => problems[i] is null).ToList();
        List<int> trainIndices, testIndices;
        if (testFiles is null)
        {
            (trainIndices, testIndices) = HoldOut(usable, i => all[i].Label, classes, options, spec);
        }
        else
        {
            trainIndices = [.. usable.Where(i => i < trainFiles.Count)];
            testIndices = [.. usable.Where(i => i >= trainFiles.Count)];
        }
        foreach (int label in Enumerable.Range(0, classes).Where(c => !trainIndices.Any(i => all[i].Label == c)))
        {
            throw new UserInputException($"{spec}: no usable training image is left in class {label} ({Path.GetDirectoryName(all.First(f => f.Label == label).Path)}); see {Path.Combine(cache, "skipped.txt")}");
        }
        var train = Set(trainIndices, prepared, all, preprocessing);
        var test = Set(testIndices, prepared, all, preprocessing);
        IdxFile.Write(Path.Combine(cache, "train-images-idx3-ubyte.gz"), Path.Combine(cache, "train-labels-idx1-ubyte.gz"), train);
        IdxFile.Write(Path.Combine(cache, "test-images-idx3-ubyte.gz"), Path.Combine(cache, "test-labels-idx1-ubyte.gz"), test);
        return (train, test);
    }

    // Per class, a seeded shuffle; the first share (at least one image) goes to the test set.
    private static (List<int> Train, List<int> Test) HoldOut(List<int> usable, Func<int, int> label, int classes, DatasetOptions options, string spec)
    {
        var train = new List<int>();
        var test = new List<int>();
        var random = new Random(options.Seed);
        for (int c = 0; c < classes; c++)
        {
            var members = usable.Where(i => label(i) == c).ToArray();
            if (members.Length < 2)
            {
                throw new UserInputException($"{spec}: class {c} has {members.Length} usable image{(members.Length == 1 ? "" : "s")}; holding some out for testing needs at least two (or give a test/ folder)");
            }
            random.Shuffle(members);
            int held = Math.Clamp((int)Math.Round(members.Length * options.TestFraction), 1, members.Length - 1);
            test.AddRange(members[..held]);
            train.AddRange(members[held..]);
        }
        train.Sort();
        test.Sort();
        return (train, test);
    }

    private static LabeledImages Set(List<int> indices, byte[][] prepared, List<(string Path, int Label)> all, Preprocessing preprocessing)
    {
        int pixels = preprocessing.Width * preprocessing.Height;
        var images = new byte[indices.Count * pixels];
        var labels = new byte[indices.Count];
        for (int n = 0; n < indices.Count; n++)
        {
            prepared[indices[n]].CopyTo(images, n * pixels);
            labels[n] = (byte)all[indices[n]].Label;
        }
        return new LabeledImages(new IdxImages(indices.Count, preprocessing.Height, preprocessing.Width, images), labels);
    }

    private static string Describe((int Width, int Height) size) => $"{size.Width}×{size.Height}";
}
