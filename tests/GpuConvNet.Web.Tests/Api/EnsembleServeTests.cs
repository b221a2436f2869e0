using System.Net.Http.Headers;
using System.Text.Json;
using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Imaging;
using GpuConvNet.Inference;
using GpuConvNet.Tests.Data;
using GpuConvNet.Web.Tests.Infrastructure;

namespace GpuConvNet.Web.Tests.Api;

/// <summary><c>serve --model A --model B</c>: both described, every answer the mean of both, and the JSON saying which answered what.</summary>
[TestClass]
public sealed class EnsembleServeTests
{
    [TestMethod]
    public async Task TwoModels_AnswerTheMeanOfTheirProbabilities_AndSayWhichMembersAnswered()
    {
        using var directory = new TempDirectory();
        string untrained = UntrainedModel.Save(directory.File("mlp.safetensors"));
        string[] members = [TrainedModel.Checkpoint, untrained];
        await using var server = await RunningServer.Start(members, device: "cpu");

        var described = JsonDocument.Parse(await server.Client.GetStringAsync("api/model")).RootElement;

        Assert.AreEqual("lenet5 + mlp", described.GetProperty("name").GetString());
        Assert.AreEqual("lenet5.safetensors, mlp.safetensors", described.GetProperty("checkpoint").GetString());
        Assert.AreEqual(JsonValueKind.Null, described.GetProperty("epoch").ValueKind, "two epochs are not one");
        var memberEpochs = described.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("epoch").GetInt32()).ToArray();
        CollectionAssert.AreEqual(new[] { 1, 3 }, memberEpochs, "each member's own epoch");

        using var cpu = Accelerators.Create("cpu");
        using var alone = Ensemble.Read(members).Build(cpu);
        for (int index = 0; index < 3; index++)
        {
            var png = DigitPictures.Png(index);
            var field = InputImage.Decode(png, "digit.png", Preprocessing.Digit);
            var expected = alone.Predict([field])[0];

            var answer = await Predict(server, png);

            var answered = answer.GetProperty("members").EnumerateArray().ToList();
            Assert.HasCount(2, answered);
            CollectionAssert.AreEqual(new[] { "lenet5.safetensors", "mlp.safetensors" }, answered.Select(m => m.GetProperty("checkpoint").GetString()).ToArray());
            for (int m = 0; m < 2; m++)
            {
                Assert.AreEqual(expected.Members[m].Class, answered[m].GetProperty("class").GetInt32(), $"image {index}: member {m}'s own answer");
                CollectionAssert.AreEqual(expected.Members[m].Probabilities, Probabilities(answered[m]), $"image {index}: member {m}'s probabilities");
            }
            var combined = Probabilities(answer);
            for (int c = 0; c < 10; c++)
            {
                Assert.AreEqual((expected.Members[0].Probabilities[c] + expected.Members[1].Probabilities[c]) / 2, combined[c], 1e-15, $"image {index} class {c}");
            }
            Assert.AreEqual(expected.Combined.Class, answer.GetProperty("class").GetInt32(), $"image {index}");
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
