using System.Net.Http.Headers;
using System.Text.Json;
using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Onnx;
using GpuConvNet.Tests.Data;
using GpuConvNet.Web.Tests.Infrastructure;

namespace GpuConvNet.Web.Tests.Api;

/// <summary><c>serve</c> with a model exported to ONNX: described as the checkpoint was, answering as it does.</summary>
[TestClass]
public sealed class OnnxServeTests
{
    [TestMethod]
    public async Task AnExportedModel_IsServed_WithTheCheckpointsAnswers()
    {
        using var directory = new TempDirectory();
        string onnx = directory.File("lenet5.onnx");
        using (var accelerator = Accelerators.Create("cpu"))
        {
            var (model, metadata, trainedOn) = LoadedModel.OpenWithData(TrainedModel.Checkpoint, accelerator);
            using (model)
            {
                OnnxExport.Save(onnx, model, trainedOn, metadata);
            }
        }
        await using var fromCheckpoint = await RunningServer.Start(TrainedModel.Checkpoint, device: "cpu");
        await using var fromOnnx = await RunningServer.Start(onnx, device: "cpu");

        var described = JsonDocument.Parse(await fromOnnx.Client.GetStringAsync("api/model")).RootElement;

        Assert.AreEqual("lenet5", described.GetProperty("name").GetString());
        Assert.AreEqual("lenet5.onnx", described.GetProperty("checkpoint").GetString());
        Assert.AreEqual(1, described.GetProperty("epoch").GetInt32(), "the training summary travels in the metadata");
        for (int index = 0; index < 5; index++)
        {
            var png = DigitPictures.Png(index);
            var expected = await Predict(fromCheckpoint, png);
            var actual = await Predict(fromOnnx, png);
            Assert.AreEqual(DigitPictures.Label(index), actual.GetProperty("class").GetInt32(), $"image {index}");
            CollectionAssert.AreEqual(Probabilities(expected), Probabilities(actual), $"image {index}: the same layers on the same engine");
        }
    }

    private static async Task<JsonElement> Predict(RunningServer server, byte[] png)
    {
        using var content = new ByteArrayContent(png);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var response = await server.Client.PostAsync("api/predict", content);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static double[] Probabilities(JsonElement answer) => [.. answer.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble())];
}
