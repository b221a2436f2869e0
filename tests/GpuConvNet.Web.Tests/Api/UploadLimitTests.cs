using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GpuConvNet.Imaging;
using GpuConvNet.Tests.Data;
using GpuConvNet.Web.Tests.Infrastructure;

namespace GpuConvNet.Web.Tests.Api;

/// <summary>
/// Concurrent uploads of pictures that decode to 64 megapixels, over HTTP on a real Kestrel on loopback: the server
/// decodes as many as its budget holds, queues a few, refuses the rest with 503 and Retry-After, keeps answering
/// small pictures meanwhile, and gives the memory back afterwards.
/// </summary>
[TestClass]
public sealed class UploadLimitTests
{
    // One 8000×8000 decode (244 MiB) at a time and one waiting: a burst of six is bound to be refused in part.
    private static readonly DecodeLimits Tight = new(16L << 20, 4, 64, 256L << 20, 256L << 20, TimeSpan.FromSeconds(60));

    private static TempDirectory directory = null!;
    private static RunningServer server = null!;
    private static byte[] huge = null!;

    [ClassInitialize]
    public static async Task Start(TestContext context)
    {
        directory = new TempDirectory();
        server = await RunningServer.Start(UntrainedModel.Save(directory.File("mlp.safetensors")), new ServerOptions { Decoding = Tight }, device: "cpu");
        huge = HugePng();
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        await server.DisposeAsync();
        directory.Dispose();
    }

    [TestMethod]
    public async Task ABurstOfHugeUploads_IsPartlyRefusedWith503_WhileSmallOnesAreAnswered_AndTheMemoryIsReturned()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        long before = Environment.WorkingSet;

        var large = Enumerable.Range(0, 6).Select(_ => Post(huge)).ToArray();
        var small = Enumerable.Range(0, 20).Select(_ => Post(SmallPng())).ToArray();
        var answers = await Task.WhenAll(large.Concat(small));

        var refused = answers.Take(large.Length).Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.IsNotEmpty(refused, "more than the budget and its queue hold is refused");
        Assert.IsTrue(answers.Take(large.Length).Any(a => a.Status == HttpStatusCode.OK), "what fits is decoded");
        foreach (var answer in refused)
        {
            Assert.AreEqual(TimeSpan.FromSeconds(DecodeGate.RetryAfterSeconds), answer.RetryAfter);
            StringAssert.Contains(answer.Error, "the server is busy decoding other large images; try again in");
        }
        Assert.IsTrue(answers.Skip(large.Length).All(a => a.Status == HttpStatusCode.OK), "small pictures do not wait behind large ones' budget");
        long after = Environment.WorkingSet;
        Assert.IsLessThan(before + (200L << 20), after, $"resident memory {before >> 20} MiB before the burst, {after >> 20} MiB after");
    }

    private static async Task<(HttpStatusCode Status, TimeSpan? RetryAfter, string Error)> Post(byte[] png)
    {
        using var content = new ByteArrayContent(png);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var response = await server.Client.PostAsync("api/predict", content);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, response.Headers.RetryAfter?.Delta, body.TryGetProperty("error", out var error) ? error.GetString()! : "");
    }

    // A light 8000×8000 picture with a dark bar: about 75 KB of PNG that decodes to 244 MiB.
    private static byte[] HugePng()
    {
        const int side = 8000;
        var pixels = new byte[side * side];
        Array.Fill(pixels, (byte)250);
        for (int y = 2000; y < 6000; y++)
        {
            pixels.AsSpan(y * side + 3600, 800).Clear();
        }
        return PngFile.Encode(new Raster(side, side, PixelLayout.Gray, pixels));
    }

    private static byte[] SmallPng()
    {
        const int side = 280;
        var pixels = new byte[side * side];
        Array.Fill(pixels, (byte)250);
        for (int y = 50; y < 230; y++)
        {
            pixels.AsSpan(y * side + 125, 30).Clear();
        }
        return PngFile.Encode(new Raster(side, side, PixelLayout.Gray, pixels));
    }
}
