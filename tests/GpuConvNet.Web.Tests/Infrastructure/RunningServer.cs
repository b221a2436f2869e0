using GpuConvNet.Compute;
using Microsoft.AspNetCore.Builder;

namespace GpuConvNet.Web.Tests.Infrastructure;

/// <summary>The server of <c>gpuconvnet serve</c> started in-process on a free loopback port, for a test class.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private RunningServer(DigitService service, WebApplication app, Uri address)
    {
        Service = service;
        this.app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    /// <summary>The service behind the server.</summary>
    public DigitService Service { get; }

    /// <summary>Where it listens (http://127.0.0.1:port/).</summary>
    public Uri Address { get; }

    /// <summary>A client for it.</summary>
    public HttpClient Client { get; }

    /// <summary>
    /// Starts a server for <paramref name="checkpoint"/> on the best accelerator (or <paramref name="device"/>), on
    /// localhost or as <paramref name="options"/> say, on a free port.
    /// </summary>
    public static Task<RunningServer> Start(string checkpoint, ServerOptions? options = null, string? device = null) => Start([checkpoint], options, device);

    /// <summary>As <see cref="Start(string, ServerOptions?, string?)"/>, serving the ensemble of <paramref name="checkpoints"/>.</summary>
    public static async Task<RunningServer> Start(IReadOnlyList<string> checkpoints, ServerOptions? options = null, string? device = null)
    {
        var service = DigitService.Open(checkpoints, device is null ? Accelerators.Best() : Accelerators.Create(device));
        var app = DigitServer.Build(service, (options ?? new ServerOptions()) with { Port = 0 });
        await app.StartAsync();
        return new RunningServer(service, app, new Uri(DigitServer.Addresses(app)[0] + "/"));
    }

    /// <summary>Stops the server and frees the model.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        Service.Dispose();
    }
}
