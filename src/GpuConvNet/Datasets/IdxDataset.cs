using GpuConvNet.Data;
using GpuConvNet.Imaging;

namespace GpuConvNet.Datasets;

/// <summary>
/// A folder of IDX files in MNIST's layout: training and test images and labels, named as MNIST's
/// (<c>train-images-idx3-ubyte[.gz]</c>, <c>t10k-…</c>) or with a prefix (EMNIST's <c>emnist-letters-train-images-idx3-ubyte</c>,
/// <c>…-test-…</c>). Classes are 0 … the largest label; an optional <c>classes.txt</c> names them, one per line.
/// </summary>
public static class IdxDataset
{
    /// <summary>Reads the set in <paramref name="directory"/>.</summary>
    /// <exception cref="UserInputException">A file is missing, ambiguous or damaged, or the class names do not fit.</exception>
    public static Dataset Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var files = System.IO.Directory.GetFiles(directory);
        string trainImages = Find(files, directory, ["train"], "images");
        string trainLabels = Find(files, directory, ["train"], "labels");
        string testImages = Find(files, directory, ["t10k", "test"], "images");
        string testLabels = Find(files, directory, ["t10k", "test"], "labels");
        var train = IdxFile.ReadLabeledImages(trainImages, trainLabels, 256);
        var test = IdxFile.ReadLabeledImages(testImages, testLabels, 256);
        if (train.Rows != test.Rows || train.Cols != test.Cols)
        {
            throw new UserInputException($"{trainImages} holds {train.Rows}×{train.Cols} images but {testImages} {test.Rows}×{test.Cols}; both sets must have one size");
        }
        int classes = Math.Max(train.Labels.DefaultIfEmpty().Max(), test.Labels.DefaultIfEmpty().Max()) + 1;
        var names = ClassNames(directory, classes);
        if (names.Count < 2)
        {
            throw new UserInputException($"{trainLabels}: every label is 0, so there is one class; a classifier needs at least two");
        }
        // 28×28 sets (MNIST's layout) are digit-like: predictions prepare pictures as MNIST's; other sizes are resized.
        var preprocessing = train.Rows == MnistPreprocessor.FieldSize && train.Cols == MnistPreprocessor.FieldSize
            ? Preprocessing.Digit : Preprocessing.Resize(train.Cols, train.Rows);
        return new Dataset("idx:" + directory, train, test, names, preprocessing, DatasetNormalization.Of(train, trainImages), directory, trainImages, testImages);
    }

    private static IReadOnlyList<string> ClassNames(string directory, int classes)
    {
        string path = Path.Combine(directory, "classes.txt");
        if (!File.Exists(path))
        {
            return [.. Enumerable.Range(0, classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        }
        var names = UserFile.Read(path, kind: null, "check the folder (classes.txt names the classes, one per line)", File.ReadAllLines).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (names.Count < classes)
        {
            throw new UserInputException($"{path} names {names.Count} classes but the labels go up to {classes - 1}; give one name per line for each of the {classes} classes");
        }
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new UserInputException($"{path} names a class twice; every line must be a different name");
        }
        return names;
    }

    // The one file whose name holds one of `splits` and `kind` ("images"/"labels"), gzip'd or raw.
    private static string Find(string[] files, string directory, string[] splits, string kind)
    {
        var matches = files.Where(f =>
        {
            string name = Path.GetFileName(f).ToLowerInvariant();
            return name.Contains(kind, StringComparison.Ordinal) && name.Contains("idx", StringComparison.Ordinal)
                && splits.Any(s => name.Contains(s, StringComparison.Ordinal));
        }).Order(StringComparer.Ordinal).ToList();
        string wanted = $"{splits[0]}-{kind}-idx{(kind == "images" ? 3 : 1)}-ubyte[.gz]";
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new UserInputException($"idx:{directory}: no {string.Join(" or ", splits)} {kind} file; the folder needs files named like MNIST's ({wanted}, or with a prefix such as emnist-letters-)"),
            _ => throw new UserInputException($"idx:{directory}: {matches.Count} files could be the {splits[0]} {kind} ({string.Join(", ", matches.Select(Path.GetFileName))}); keep one set per folder"),
        };
    }
}
