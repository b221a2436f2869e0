using System.Globalization;
using System.Text.Json;
using GpuConvNet.Imaging;
using GpuConvNet.Kernels;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;

namespace GpuConvNet.Checkpoints;

/// <summary>
/// What a checkpoint says about the data its model learnt from: the data set, the class names, the input shape, how
/// pictures become images and how images become inputs. Checkpoints written before these keys existed were MNIST's.
/// </summary>
/// <param name="Dataset">The data set as named to <c>--dataset</c> (<c>mnist</c>, <c>idx:DIR</c>, <c>folder:DIR</c>).</param>
/// <param name="ClassNames">The name of each output, in order.</param>
/// <param name="Input">The per-image input shape.</param>
/// <param name="Preprocessing">How a user's picture becomes an image.</param>
/// <param name="Normalization">How an image's pixel bytes become the model's input.</param>
public sealed record TrainedOn(string Dataset, IReadOnlyList<string> ClassNames, Shape Input, Preprocessing Preprocessing, Normalization Normalization)
{
    /// <summary>Metadata key of the held-out test share of an image folder without test/.</summary>
    public const string TestFractionKey = "test_fraction";

    /// <summary>For an image folder without test/: the share held out as the test set (the seed is the run's); else null.</summary>
    public double? TestFraction { get; init; }

    /// <summary>Metadata key of the data set.</summary>
    public const string DatasetKey = "dataset";

    /// <summary>Metadata key of the class names (a JSON array of strings).</summary>
    public const string ClassesKey = "classes";

    /// <summary>Metadata key of the input shape ("1x28x28": channels, height, width).</summary>
    public const string InputKey = "input";

    /// <summary>Metadata key of the preprocessing's name (digit, resize).</summary>
    public const string PreprocessKey = "preprocess";

    /// <summary>Metadata key of the mean of the training pixels in [0, 1] that inputs are normalised by.</summary>
    public const string PixelMeanKey = "pixel_mean";

    /// <summary>Metadata key of their standard deviation.</summary>
    public const string PixelStdKey = "pixel_std";

    /// <summary>MNIST: digits 0–9, 28 × 28, digit preprocessing, MNIST's normalisation.</summary>
    public static TrainedOn Mnist { get; } = new("mnist", Data.Mnist.ClassNames, ModelZoo.MnistInput, Preprocessing.Digit, Normalization.Mnist);

    /// <summary>What a model trained on <paramref name="data"/> learnt from.</summary>
    public static TrainedOn Of(Datasets.Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new TrainedOn(data.Spec, data.ClassNames, new Shape(1, data.Train.Rows, data.Train.Cols), data.Preprocessing, data.Normalization)
        {
            TestFraction = data.HeldOut,
        };
    }

    /// <summary>Number of classes.</summary>
    public int Classes => ClassNames.Count;

    /// <summary>The metadata entries that record this.</summary>
    public IReadOnlyDictionary<string, string> ToMetadata()
    {
        var metadata = new Dictionary<string, string>
        {
            [DatasetKey] = Dataset,
            [ClassesKey] = JsonSerializer.Serialize(ClassNames),
            [InputKey] = string.Create(CultureInfo.InvariantCulture, $"{Input.Channels}x{Input.Height}x{Input.Width}"),
            [PreprocessKey] = Preprocessing.Name,
            [PixelMeanKey] = Normalization.Mean.ToString("R", CultureInfo.InvariantCulture),
            [PixelStdKey] = Normalization.Std.ToString("R", CultureInfo.InvariantCulture),
        };
        if (TestFraction is { } fraction)
        {
            metadata[TestFractionKey] = fraction.ToString("R", CultureInfo.InvariantCulture);
        }
        return metadata;
    }

    /// <summary>What <paramref name="metadata"/> (of the checkpoint at <paramref name="path"/>) says, MNIST's where it says nothing.</summary>
    /// <exception cref="UserInputException">An entry is present but not readable.</exception>
    public static TrainedOn From(IReadOnlyDictionary<string, string> metadata, string path)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.ContainsKey(ClassesKey) && !metadata.ContainsKey(InputKey))
        {
            return Mnist;
        }
        try
        {
            var names = metadata.TryGetValue(ClassesKey, out var json) ? JsonSerializer.Deserialize<string[]>(json) ?? [] : [.. Mnist.ClassNames];
            var input = metadata.TryGetValue(InputKey, out var shape) ? ParseShape(shape) : Mnist.Input;
            bool mnistSized = input.Width == Mnist.Input.Width && input.Height == Mnist.Input.Height;
            var preprocessing = Preprocessing.Parse(metadata.GetValueOrDefault(PreprocessKey, mnistSized ? "digit" : "resize"), input.Width, input.Height);
            double? fraction = metadata.TryGetValue(TestFractionKey, out var f) ? double.Parse(f, NumberStyles.Float, CultureInfo.InvariantCulture) : null;
            return new TrainedOn(metadata.GetValueOrDefault(DatasetKey, "mnist"), names, input, preprocessing, ParseNormalization(metadata)) { TestFraction = fraction };
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or OverflowException)
        {
            throw new UserInputException($"{path}: its metadata about the training data cannot be read ({e.Message}); it was not written by this version of gpuconvnet train", e);
        }
    }

    // Checkpoints written before the normalisation was recorded were all normalised as MNIST.
    private static Normalization ParseNormalization(IReadOnlyDictionary<string, string> metadata)
    {
        bool hasMean = metadata.TryGetValue(PixelMeanKey, out var meanText);
        bool hasStd = metadata.TryGetValue(PixelStdKey, out var stdText);
        if (!hasMean && !hasStd)
        {
            return Normalization.Mnist;
        }
        if (!hasMean || !hasStd)
        {
            throw new FormatException($"it has {(hasMean ? PixelMeanKey : PixelStdKey)} without {(hasMean ? PixelStdKey : PixelMeanKey)}");
        }
        float mean = float.Parse(meanText!, NumberStyles.Float, CultureInfo.InvariantCulture);
        float std = float.Parse(stdText!, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!float.IsFinite(mean) || !(std > 0) || !float.IsFinite(std))
        {
            throw new FormatException($"{PixelMeanKey} {meanText} and {PixelStdKey} {stdText} are not a finite mean and a positive standard deviation");
        }
        return new Normalization(mean, std);
    }

    private static Shape ParseShape(string text)
    {
        var parts = text.Split('x');
        if (parts.Length != 3)
        {
            throw new FormatException($"input '{text}' is not CxHxW");
        }
        var n = parts.Select(p => int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
        return new Shape(n[0], n[1], n[2]);
    }
}
