using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GpuConvNet.Imaging;
using GpuConvNet.Tests.Data;
using GpuConvNet.Web.Tests.Infrastructure;

namespace GpuConvNet.Web.Tests.Api;

/// <summary>
/// What the server does at its edges, over HTTP on a real Kestrel on loopback: where it listens, which Host headers
/// it answers, the headers it sends, and requests that are not what the API takes (all JSON errors, no stack trace).
/// </summary>
[TestClass]
public sealed class ServerBoundaryTests
{
    private static TempDirectory directory = null!;
    private static RunningServer server = null!;

    [ClassInitialize]
    public static async Task Start(TestContext context)
    {
        directory = new TempDirectory();
        server = await RunningServer.Start(UntrainedModel.Save(directory.File("mlp.safetensors")), device: "cpu");
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        await server.DisposeAsync();
        directory.Dispose();
    }

    [TestMethod]
    [DataRow("999.1.1.1")]
    [DataRow("some.name")]
    [DataRow("127.1")]
    [DataRow("")]
    public void AHostThatIsNotAnAddress_IsRefused_InsteadOfListeningEverywhere(string host)
    {
        var error = Assert.ThrowsExactly<UserInputException>(() => DigitServer.Build(server.Service, new ServerOptions { Host = host, Port = 0 }));

        StringAssert.Contains(error.Message, $"--host {host} is not an address to listen on");
    }

    [TestMethod]
    [DataRow("localhost")]
    [DataRow("127.0.0.1")]
    [DataRow("::1")]
    public async Task ALoopbackHost_ListensOnLoopbackOnly(string host)
    {
        var app = DigitServer.Build(server.Service, new ServerOptions { Host = host, Port = 0 });
        await app.StartAsync();
        try
        {
            var addresses = DigitServer.Addresses(app);
            Assert.IsNotEmpty(addresses);
            foreach (var address in addresses)
            {
                Assert.IsTrue(IPAddress.IsLoopback(IPAddress.Parse(new Uri(address).Host.Trim('[', ']'))), address);
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [TestMethod]
    public void OnEveryInterface_TheDefaultHostsAreThisMachinesNamesAndAddresses_NotAny()
    {
        var hosts = ListenAddresses.DefaultAllowedHosts([IPAddress.Any]);

        CollectionAssert.IsSubsetOf(new[] { "localhost", "127.0.0.1", "[::1]", Dns.GetHostName() }, hosts.ToArray());
        CollectionAssert.DoesNotContain(hosts.ToArray(), "*");
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("api/model")]
    [DataRow("no/such/route")]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string path)
    {
        using var response = await server.Client.GetAsync(path);

        Assert.AreEqual("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.AreEqual("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        string policy = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        StringAssert.Contains(policy, "frame-ancestors 'none'");
        StringAssert.Contains(policy, "script-src 'self'");
    }

    [TestMethod]
    public async Task AForeignHostHeader_IsRefusedWithJson_AsADnsRebindingPageWouldSendIt()
    {
        using var foreign = new HttpRequestMessage(HttpMethod.Get, "api/model");
        foreign.Headers.Host = "attacker.example";
        using var refused = await server.Client.SendAsync(foreign);

        Assert.AreEqual(HttpStatusCode.BadRequest, refused.StatusCode);
        StringAssert.Contains(await Error(refused), "--allowed-hosts");
        Assert.AreEqual("DENY", string.Join(",", refused.Headers.GetValues("X-Frame-Options")), "refusals carry the headers too");

        foreach (string name in new[] { "localhost", "127.0.0.1" })
        {
            using var own = new HttpRequestMessage(HttpMethod.Get, "api/model");
            own.Headers.Host = $"{name}:{server.Address.Port}";
            using var answered = await server.Client.SendAsync(own);
            Assert.AreEqual(HttpStatusCode.OK, answered.StatusCode, name);
        }
    }

    [TestMethod]
    public async Task AllowedHosts_WidenWhatIsAnswered()
    {
        await using var widened = await RunningServer.Start(directory.File("mlp.safetensors"), new ServerOptions { AllowedHosts = ["digits.example"] }, device: "cpu");
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/model");
        request.Headers.Host = "digits.example";

        using var response = await widened.Client.SendAsync(request);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [TestMethod]
    [DataRow("multipart/form-data", "--x\r\n\r\n", "Missing content-type boundary")]
    [DataRow("multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\nabc", "it ends inside a part")]
    public async Task AMultipartFormWithoutABoundary_OrCutShort_Is400Json(string type, string body, string problem)
    {
        using var content = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", type);

        using var response = await server.Client.PostAsync("api/predict", content);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        StringAssert.Contains(await Error(response), $"the multipart form cannot be read ({problem}");
    }

    [TestMethod]
    [DataRow("GET", "no/such/route", 404, "there is nothing at /no/such/route")]
    [DataRow("GET", "api/predict", 405, "GET is not accepted at /api/predict")]
    public async Task UnknownRoutesAndMethods_AreJson(string method, string path, int status, string message)
    {
        using var response = await server.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.AreEqual(status, (int)response.StatusCode);
        StringAssert.Contains(await Error(response), message);
    }

    [TestMethod]
    public async Task HeadOfThePage_AndTheFavicon_AreAnswered()
    {
        using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, ""));
        Assert.AreEqual(HttpStatusCode.OK, head.StatusCode);
        Assert.AreEqual("text/html", head.Content.Headers.ContentType?.MediaType);

        using var icon = await server.Client.GetAsync("favicon.ico");
        Assert.AreEqual(HttpStatusCode.OK, icon.StatusCode);
        Assert.AreEqual("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
        StringAssert.StartsWith(await icon.Content.ReadAsStringAsync(), "<svg");
    }

    [TestMethod]
    public async Task ABadBodyOf15MiB_IsReadOnce_NotCopiedAgain()
    {
        var body = new byte[15 << 20];
        body.AsSpan().Fill((byte)'x');
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        long before = GC.GetTotalAllocatedBytes(precise: true);

        using var response = await server.Client.PostAsync("api/predict", content);

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        StringAssert.Contains(await Error(response), "not an image format this program reads");
        // The server's one array of the body, and Kestrel's and the client's buffers; a growing copy would be twice that.
        Assert.IsLessThan(body.Length * 3 / 2, allocated, $"{allocated >> 20} MiB allocated for a {body.Length >> 20} MiB body");
    }

    private static async Task<string> Error(HttpResponseMessage response)
    {
        Assert.AreEqual("application/json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;
    }
}
