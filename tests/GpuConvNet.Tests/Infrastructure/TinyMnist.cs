using GpuConvNet.Data;
using GpuConvNet.Datasets;
using GpuConvNet.Kernels;
using GpuConvNet.Tests.Data;

namespace GpuConvNet.Tests.Infrastructure;

/// <summary>
/// A tiny MNIST-shaped data set made up in memory: 28×28 images whose class (0…9, cycling) is a bright horizontal
/// bar at a class-specific row, over seeded noise — learnable, so a few steps change the weights meaningfully, and
/// small enough that a training run on the CPU accelerator takes a second or two.
/// </summary>
public static class TinyMnist
{
    /// <summary>Rows and columns of every image.</summary>
    public const int Size = 28;

    /// <summary><paramref name="train"/> training and <paramref name="test"/> test images from <paramref name="seed"/>.</summary>
    public static Dataset Create(int train, int test, int seed = 7)
    {
        var random = new Random(seed);
        return new Dataset("mnist", Set(train, random), Set(test, random), Mnist.ClassNames, global::GpuConvNet.Imaging.Preprocessing.Digit,
            Normalization.Mnist, "(in memory)", "(in memory) train", "(in memory) test");
    }

    /// <summary>One labelled set of <paramref name="count"/> images.</summary>
    public static LabeledImages Set(int count, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var pixels = new byte[count * Size * Size];
        var labels = new byte[count];
        for (int n = 0; n < count; n++)
        {
            int label = n % 10;
            labels[n] = (byte)label;
            var image = pixels.AsSpan(n * Size * Size, Size * Size);
            for (int i = 0; i < image.Length; i++)
            {
                image[i] = (byte)random.Next(0, 64);
            }
            int row = 3 + 2 * label;
            for (int x = 4; x < Size - 4; x++)
            {
                image[row * Size + x] = (byte)random.Next(200, 256);
                image[(row + 1) * Size + x] = (byte)random.Next(200, 256);
            }
        }
        return new LabeledImages(new IdxImages(count, Size, Size, pixels), labels);
    }

    /// <summary>Writes <paramref name="data"/> as the four gzip'd IDX files of MNIST into <paramref name="directory"/>.</summary>
    public static void WriteGz(string directory, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Write(directory, "train", data.Train);
        Write(directory, "t10k", data.Test);
    }

    private static void Write(string directory, string prefix, LabeledImages set)
    {
        File.WriteAllBytes(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"),
            IdxTestFiles.Gzip(IdxTestFiles.Images(set.Count, set.Rows, set.Cols, set.Images)));
        File.WriteAllBytes(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"),
            IdxTestFiles.Gzip(IdxTestFiles.Labels(set.Count, set.Labels)));
    }

    /// <summary>The host copy of every parameter of <paramref name="model"/>, by name.</summary>
    public static Dictionary<string, float[]> Weights(global::GpuConvNet.Nn.Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Parameters.ToDictionary(p => p.Name, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Bit patterns of <paramref name="values"/>, for exact comparisons (−0 ≠ +0, NaN payloads kept).</summary>
    public static int[] Bits(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Select(BitConverter.SingleToInt32Bits).ToArray();
    }
}
