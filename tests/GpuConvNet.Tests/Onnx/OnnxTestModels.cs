using GpuConvNet.Compute;
using GpuConvNet.Data;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;
using GpuConvNet.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;

namespace GpuConvNet.Tests.Onnx;

/// <summary>Models with seeded weights, MNIST's test images as inputs, and both runtimes' logits on them.</summary>
public static class OnnxTestModels
{
    private static readonly Lazy<float[]> MnistInputs = new(ReadMnistInputs);

    /// <summary>The folder of the committed test files (pytorch-cnn.onnx and its expected logits).</summary>
    public static string FilesDirectory => Path.Combine(AppContext.BaseDirectory, "Onnx", "Files");

    /// <summary>MNIST's 10,000 test images, normalised as training normalises them: (pixel / 255 − mean) / std, 784 each.</summary>
    public static float[] MnistTestInputs => MnistInputs.Value;

    /// <summary>
    /// The zoo's model <paramref name="name"/> built on <paramref name="accelerator"/>: PyTorch's initialisation from a
    /// seed, and each batch norm's scale, shift and running statistics drawn from the seed too (away from 1, 0, 0 and
    /// 1, so that a runtime that ignored one would differ).
    /// </summary>
    public static Model Built(string name, Accelerator accelerator, int maxBatch, int seed = 7)
    {
        var model = ModelZoo.Get(name).Create();
        model.Build(accelerator, maxBatch, seed);
        var random = new Random(seed);
        foreach (var norm in model.Layers.OfType<BatchNorm>())
        {
            int channels = norm.InputShape.Channels;
            norm.Weight.Value.CopyFromHost(Draw(random, channels, 0.5, 1.5));
            norm.Bias.Value.CopyFromHost(Draw(random, channels, -0.2, 0.2));
            norm.RunningMean.CopyFromHost(Draw(random, channels, -0.5, 0.5));
            norm.RunningVariance.CopyFromHost(Draw(random, channels, 0.5, 2.0));
        }
        return model;
    }

    /// <summary>Our logits (count × classes) of the first <paramref name="count"/> inputs, in batches of the model's maximum.</summary>
    public static float[] Ours(Model model, float[] inputs, int count)
    {
        var accelerator = model.Accelerator!;
        int size = model.Input.Size;
        using var device = accelerator.Allocate(inputs.AsSpan(0, count * size).ToArray());
        return InferencePass.Run(model, count, model.MaxBatch, (start, n) => device.View.SubView(start * size, n * size), null, keepLogits: true)!;
    }

    /// <summary>
    /// ONNX Runtime's (CPU provider) first output on the first <paramref name="count"/> inputs of shape (1, H, W), or
    /// (H·W) when <paramref name="flat"/>, 500 images a run.
    /// </summary>
    public static float[] OnnxRuntime(byte[] model, float[] inputs, int count, Shape input, int classes, bool flat = false)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 2, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(model, options);
        string inputName = session.InputNames[0];
        string outputName = session.OutputNames[0];
        var logits = new float[count * classes];
        using var run = new RunOptions();
        for (int start = 0; start < count; start += 500)
        {
            int n = Math.Min(500, count - start);
            var batch = inputs.AsMemory(start * input.Size, n * input.Size);
            long[] shape = flat ? [n, input.Size] : [n, input.Channels, input.Height, input.Width];
            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch, shape);
            using var outputs = session.Run(run, [inputName], [value], [outputName]);
            outputs[0].GetTensorDataAsSpan<float>().CopyTo(logits.AsSpan(start * classes, n * classes));
        }
        return logits;
    }

    /// <summary>The argmax of each row of <paramref name="classes"/> logits.</summary>
    public static int[] Predictions(float[] logits, int classes) =>
        [.. Enumerable.Range(0, logits.Length / classes).Select(n => Argmax(logits.AsSpan(n * classes, classes)))];

    /// <summary>The index of the largest value (the first of equals).</summary>
    public static int Argmax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++)
        {
            if (row[c] > row[best])
            {
                best = c;
            }
        }
        return best;
    }

    /// <summary>The gap between the largest and second-largest value of a row.</summary>
    public static double Margin(ReadOnlySpan<float> row)
    {
        var sorted = row.ToArray().OrderDescending().ToArray();
        return (double)sorted[0] - sorted[1];
    }

    private static float[] Draw(Random random, int count, double low, double high) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)(low + random.NextDouble() * (high - low)))];

    private static float[] ReadMnistInputs()
    {
        var test = IdxFile.ReadImages(Path.Combine(SharedData.MnistDirectory, "t10k-images-idx3-ubyte.gz"));
        var n = GpuConvNet.Kernels.Normalization.Mnist;
        return [.. test.Pixels.Select(p => ((float)p / 255f - n.Mean) / n.Std)];
    }
}
