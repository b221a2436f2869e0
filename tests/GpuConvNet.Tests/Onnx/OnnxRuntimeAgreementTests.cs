using System.Collections.Concurrent;
using System.Security.Cryptography;
using GpuConvNet.Checkpoints;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;
using GpuConvNet.Onnx;
using GpuConvNet.Tests.Infrastructure;
using Google.Protobuf;

namespace GpuConvNet.Tests.Onnx;

/// <summary>
/// Every model of the zoo, exported, run by ONNX Runtime (CPU provider), an implementation independent of ours: its
/// logits on MNIST's test images equal ours within |ours − ORT| ≤ 1e-5 + 1e-4·|ORT|, and so do the predictions wherever
/// ORT's top two logits are more than twice that apart (the weights are PyTorch's seeded initialisation, not trained,
/// so near-ties occur; the test counts them and fails if they are not rare). Measured on 2026-12-07: at most 3.5e-7
/// apart on PoCL and the CPU accelerator (float32 sums in another order), so the tolerance leaves a margin of 30× for
/// other engines, while a wrong op is off by 1e-2 or more.
/// </summary>
// Not on Oclgrind: a simulator spends minutes on one cnn forward; its kernels are covered by each op's suite.
[NotOnEngines("oclgrind")]
public abstract class OnnxRuntimeAgreementTests : AcceleratorTest
{
    private const double Atol = 1e-5;
    private const double Rtol = 1e-4;

    // ORT's logits per exported file (by its hash): the weights come from a seed, so every engine exports the same bytes
    // and ORT runs once per model in a test run.
    private static readonly ConcurrentDictionary<string, float[]> Reference = new(StringComparer.Ordinal);

    public static IEnumerable<object[]> Models => ModelZoo.All.Select(r => new object[] { r.Name });

    [TestMethod]
    [DynamicData(nameof(Models))]
    public void Export_RunByOnnxRuntime_GivesOurLogitsAndPredictions_OnMnistTestImages(string name)
    {
        int count = ImagesFor(EngineId);
        var inputs = OnnxTestModels.MnistTestInputs;
        using var model = OnnxTestModels.Built(name, Accelerator, maxBatch: 256);
        var bytes = OnnxExport.ToProto(model, TrainedOn.Mnist, new Dictionary<string, string>()).ToByteArray();
        string key = $"{Convert.ToHexString(SHA256.HashData(bytes))}/{count}";
        var expected = Reference.GetOrAdd(key, _ => OnnxTestModels.OnnxRuntime(bytes, inputs, count, model.Input, model.Classes));

        var ours = OnnxTestModels.Ours(model, inputs, count);

        TestData.AssertClose(Array.ConvertAll(expected, v => (double)v), ours, Atol, Rtol, $"{name}: logits on {count} MNIST test images");
        int classes = model.Classes;
        int compared = 0;
        for (int n = 0; n < count; n++)
        {
            var row = expected.AsSpan(n * classes, classes);
            int best = OnnxTestModels.Argmax(row);
            if (OnnxTestModels.Margin(row) > 2 * (Atol + Rtol * Math.Abs(row[best])))
            {
                compared++;
                Assert.AreEqual(best, OnnxTestModels.Argmax(ours.AsSpan(n * classes, classes)), $"{name}: image {n}'s prediction");
            }
        }
        Assert.IsGreaterThanOrEqualTo(count * 0.95, compared, $"{name}: only {compared} of {count} images have a clear prediction to compare");
    }

    /// <summary>
    /// A model outside the zoo with every layer kind and the options the zoo leaves out (a strided convolution without
    /// fused ReLU, a standalone ReLU, an overlapping 3×3 pool, batch norms with and without fused ReLU, dropout):
    /// exported, run by ORT on 32 seeded inputs, the same logits.
    /// </summary>
    [TestMethod]
    public void EveryLayerKind_Exported_GivesOurLogitsOnOnnxRuntime()
    {
        const int count = 32;
        using var model = new Model("every-layer", ModelZoo.MnistInput,
            [new Conv(8, 5, padding: 2, stride: 2), new Relu(), new MaxPool(3, 2), new BatchNorm(relu: true), new Dropout(0.3f), new Flatten(),
             new Dense(32), new BatchNorm(), new Relu(), new Dense(10)],
            LossKind.SoftmaxCrossEntropy);
        model.Build(Accelerator, count, seed: 9);
        var inputs = TestData.Uniform(count * 784, seed: 10, low: -0.5f, high: 2.5f);
        var bytes = OnnxExport.ToProto(model, TrainedOn.Mnist, new Dictionary<string, string>()).ToByteArray();

        var expected = OnnxTestModels.OnnxRuntime(bytes, inputs, count, model.Input, model.Classes);
        var ours = OnnxTestModels.Ours(model, inputs, count);

        TestData.AssertClose(Array.ConvertAll(expected, v => (double)v), ours, Atol, Rtol, "every-layer logits");
    }

    // The compiled engines run all 10,000 images (PoCL: 23 s for the six models, ORT included, on 2 shared cores). The
    // CPU engines check or emulate every lane, so they run the first images only: the checked CPU accelerator 256
    // (cnn: 4.6 s), ILGPU's CPU accelerator 32 (it took 95 s for cnn's first 1,000, and 15 s for 64 with its compiles).
    private static int ImagesFor(string engine) => engine switch
    {
        "cpu" => 256,
        "ilgpu-cpu" => 32,
        _ => 10_000,
    };
}
