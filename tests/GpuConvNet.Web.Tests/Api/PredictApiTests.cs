using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Imaging;
using GpuConvNet.Inference;
using GpuConvNet.Web.Tests.Infrastructure;

namespace GpuConvNet.Web.Tests.Api;

/// <summary>
/// The JSON API over HTTP, on a real Kestrel on a loopback port: the same answers as <c>gpuconvnet predict</c>'s path,
/// concurrent requests equal to single ones, and every kind of bad request a 4xx JSON error with the server still up.
/// </summary>
[TestClass]
public sealed class PredictApiTests
{
    private static RunningServer server = null!;

    [ClassInitialize]
    public static async Task Start(TestContext context) => server = await RunningServer.Start(TrainedModel.Checkpoint);

    [ClassCleanup]
    public static async Task Stop()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task Healthz_AndModel_DescribeWhatIsServed()
    {
        var health = await server.Client.GetFromJsonAsync<JsonElement>("healthz");
        Assert.AreEqual("ok", health.GetProperty("status").GetString());

        var model = await server.Client.GetFromJsonAsync<JsonElement>("api/model");

        Assert.AreEqual("lenet5", model.GetProperty("name").GetString());
        Assert.AreEqual(10, model.GetProperty("classes").GetArrayLength());
        Assert.AreEqual(1, model.GetProperty("epoch").GetInt32());
        Assert.IsGreaterThan(0.95, model.GetProperty("validationAccuracy").GetDouble());
        Assert.AreEqual(Accelerators.BestDevice.Id, model.GetProperty("device").GetString());
        Assert.AreEqual("lenet5.safetensors", model.GetProperty("checkpoint").GetString());
    }

    [TestMethod]
    public async Task PredictAnImage_RawOrAsAForm_AnswersWhatThePredictCommandsPathAnswers()
    {
        var (model, _, trainedOn) = LoadedModel.OpenWithData(TrainedModel.Checkpoint, Accelerators.Best());
        using (model)
        {
            for (int index = 0; index < 5; index++)
            {
                var png = DigitPictures.Png(index);
                var field = InputImage.Decode(png, "digit.png", Preprocessing.Digit);
                var expected = Predictor.Predict(model, trainedOn.Normalization, [field])[0];

                var raw = await Post(new ByteArrayContent(png), "image/png");
                using var form = new MultipartFormDataContent { { new ByteArrayContent(png), "image", "digit.png" } };
                var multipart = await Read(await server.Client.PostAsync("api/predict", form));

                foreach (var answer in new[] { raw, multipart })
                {
                    Assert.AreEqual(expected.Class, answer.GetProperty("class").GetInt32(), $"image {index}");
                    Assert.AreEqual(DigitPictures.Label(index), expected.Class, $"image {index} is predicted right");
                    var probabilities = answer.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble()).ToArray();
                    for (int c = 0; c < 10; c++)
                    {
                        Assert.AreEqual(expected.Probabilities[c], probabilities[c], 1e-9, $"image {index} class {c}");
                    }
                    CollectionAssert.AreEqual(field, answer.GetProperty("field").EnumerateArray().Select(v => (byte)v.GetInt32()).ToArray(), "the field the model saw");
                }
            }
        }
    }

    [TestMethod]
    public async Task PredictPixels_A28By28Array_IsUsedAsItIs()
    {
        for (int index = 0; index < 10; index++)
        {
            var field = DigitPictures.Field(index);
            var rows = Enumerable.Range(0, 28).Select(y => field.Skip(28 * y).Take(28).Select(v => (int)v).ToArray()).ToArray();

            var answer = await Post(JsonContent.Create(new { pixels = rows }), null);

            CollectionAssert.AreEqual(field, answer.GetProperty("field").EnumerateArray().Select(v => (byte)v.GetInt32()).ToArray());
            Assert.AreEqual(DigitPictures.Label(index), answer.GetProperty("class").GetInt32(), $"test image {index}");
        }
    }

    [TestMethod]
    public async Task SixteenClientsAtOnce_GetTheAnswersOfSingleRequests()
    {
        var images = Enumerable.Range(0, 48).Select(DigitPictures.Png).ToArray();
        var single = new List<double[]>();
        foreach (var png in images)
        {
            single.Add(Probabilities(await Post(new ByteArrayContent(png), "image/png")));
        }
        var (_, batchesBefore) = server.Service.Served;

        var answers = new double[images.Length][];
        await Parallel.ForEachAsync(Enumerable.Range(0, images.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            answers[i] = Probabilities(await Post(new ByteArrayContent(images[i]), "image/png")));

        for (int i = 0; i < images.Length; i++)
        {
            for (int c = 0; c < 10; c++)
            {
                Assert.AreEqual(single[i][c], answers[i][c], 1e-6, $"image {i} class {c}: batched with others, the same answer");
            }
        }
        var (_, batchesAfter) = server.Service.Served;
        Assert.IsLessThanOrEqualTo(images.Length, batchesAfter - batchesBefore);
    }

    public static IEnumerable<object[]> BadRequests =>
    [
        ["empty body", (Func<HttpContent>)(() => Typed([], "image/png")), 400, "the request has no image"],
        ["not an image", (Func<HttpContent>)(() => Typed("hello"u8.ToArray(), "image/png")), 400, "not an image format this program reads"],
        ["blank canvas", (Func<HttpContent>)(() => Typed(BlankPng(), "image/png")), 400, "no digit found"],
        ["over the size limit", (Func<HttpContent>)(() => Typed(new byte[DigitServer.MaxRequestBytes + 1], "image/png")), 413, "larger than 16 MiB"],
        ["text", (Func<HttpContent>)(() => new StringContent("7", Encoding.UTF8, "text/plain")), 415, "content type text/plain"],
        ["broken JSON", (Func<HttpContent>)(() => Typed("{\"pixels\": [1,"u8.ToArray(), "application/json")), 400, "not valid JSON"],
        ["no pixels", (Func<HttpContent>)(() => JsonContent.Create(new { image = 1 })), 400, "the JSON has no \"pixels\""],
        ["27 rows", (Func<HttpContent>)(() => JsonContent.Create(new { pixels = Rows(27, 28, 0) })), 400, "\"pixels\" has 27 rows"],
        ["a short row", (Func<HttpContent>)(() => JsonContent.Create(new { pixels = Rows(28, 28, 0).Select((r, i) => i == 3 ? r[..5] : r) })), 400, "row 3 has 5 values"],
        ["a pixel above 255", (Func<HttpContent>)(() => JsonContent.Create(new { pixels = Rows(28, 28, 300) })), 400, "pixel (0, 0) is 300"],
        ["a form without a file", (Func<HttpContent>)(() => new MultipartFormDataContent { { new StringContent("x"), "note" } }), 400, "the form has no file"],
    ];

    [TestMethod]
    [DynamicData(nameof(BadRequests))]
    public async Task BadRequest_Gets4xxWithAJsonError_AndTheServerStaysUp(string what, Func<HttpContent> content, int status, string message)
    {
        // Expect: 100-continue, as clients sending large bodies do: the server can refuse before the body is sent
        // (without it, a refused 17 MiB upload ends in a broken pipe on the client's side, whatever the server says).
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/predict") { Content = content() };
        request.Headers.ExpectContinue = true;
        using var response = await server.Client.SendAsync(request);

        Assert.AreEqual(status, (int)response.StatusCode, what);
        Assert.AreEqual("application/json", response.Content.Headers.ContentType?.MediaType, what);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;
        StringAssert.Contains(error, message, what);
        Assert.AreEqual(HttpStatusCode.OK, (await server.Client.GetAsync("healthz")).StatusCode, "the server stays up");
    }

    [TestMethod]
    public async Task InvertParameter_ForcesThePolarity_AndRejectsOtherWords()
    {
        var png = DigitPictures.Png(0);
        var auto = await Post(new ByteArrayContent(png), "image/png");
        var yes = await Read(await server.Client.PostAsync("api/predict?invert=yes", Typed(png, "image/png")));
        CollectionAssert.AreEqual(Field(auto), Field(yes), "the picture is dark on light: yes is what auto decided");
        var no = await Read(await server.Client.PostAsync("api/predict?invert=no", Typed(png, "image/png")));
        CollectionAssert.AreNotEqual(Field(auto), Field(no));

        using var bad = await server.Client.PostAsync("api/predict?invert=maybe", Typed(png, "image/png"));
        Assert.AreEqual(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static async Task<JsonElement> Post(HttpContent content, string? type)
    {
        if (type is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(type);
        }
        return await Read(await server.Client.PostAsync("api/predict", content));
    }

    private static async Task<JsonElement> Read(HttpResponseMessage response)
    {
        using (response)
        {
            string body = await response.Content.ReadAsStringAsync();
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, body);
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    private static double[] Probabilities(JsonElement answer) => [.. answer.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble())];

    private static byte[] Field(JsonElement answer) => [.. answer.GetProperty("field").EnumerateArray().Select(v => (byte)v.GetInt32())];

    private static ByteArrayContent Typed(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private static int[][] Rows(int rows, int columns, int value) => [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Repeat(value, columns).ToArray())];

    private static byte[] BlankPng() => PngFile.Encode(new Raster(280, 280, PixelLayout.Gray, Enumerable.Repeat((byte)255, 280 * 280).ToArray()));
}
