using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GpuConvNet.Tests.Data;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 for download tests: one request per connection, GET only. The handler maps
/// a request path to a status and body, or to null to accept the request and never answer (a stalled mirror).
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, (int Status, byte[] Body)?> handler;
    private readonly TimeSpan byteInterval;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentBag<TcpClient> stalled = [];
    private readonly Task acceptLoop;

    /// <summary>Starts serving on a free loopback port.</summary>
    /// <param name="handler">Path → status and body, or null to stall.</param>
    /// <param name="byteInterval">When positive, bodies go out one byte per interval (a mirror that trickles).</param>
    public LoopbackHttpServer(Func<string, (int Status, byte[] Body)?> handler, TimeSpan byteInterval = default)
    {
        this.handler = handler;
        this.byteInterval = byteInterval;
        listener.Start();
        acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The server's base URL, e.g. http://127.0.0.1:12345/.</summary>
    public Uri BaseUri => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

    /// <summary>Every request path received, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>A base URL on this server under <paramref name="prefix"/>, e.g. "good/".</summary>
    public Uri Mirror(string prefix) => new(BaseUri, prefix);

    /// <summary>Stops the server and drops stalled connections.</summary>
    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        foreach (var client in stalled)
        {
            client.Dispose();
        }
        try
        {
            acceptLoop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by its listener being stopped; how it ends does not matter.
        }
        stop.Dispose();
    }

    /// <summary>A base URL on 127.0.0.1 where nothing listens: connections are refused.</summary>
    public static Uri ClosedPortMirror()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{port}/mnist/");
    }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            string path = await ReadRequestPathAsync(stream);
            Requests.Enqueue(path);
            var answer = handler(path);
            if (answer is not { } response)
            {
                stalled.Add(client);
                return;
            }
            string head = $"HTTP/1.1 {response.Status} {(response.Status == 200 ? "OK" : "Not Found")}\r\n" +
                          $"Content-Length: {response.Body.Length}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), stop.Token);
            if (byteInterval <= TimeSpan.Zero)
            {
                await stream.WriteAsync(response.Body, stop.Token);
            }
            for (int i = 0; byteInterval > TimeSpan.Zero && i < response.Body.Length; i++)
            {
                await stream.WriteAsync(response.Body.AsMemory(i, 1), stop.Token);
                await stream.FlushAsync(stop.Token);
                await Task.Delay(byteInterval, stop.Token);
            }
            await stream.FlushAsync(stop.Token);
            client.Dispose();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            client.Dispose();
        }
    }

    private async Task<string> ReadRequestPathAsync(NetworkStream stream)
    {
        var request = new StringBuilder();
        var buffer = new byte[1024];
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int n = await stream.ReadAsync(buffer, stop.Token);
            if (n == 0)
            {
                break;
            }
            request.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        // "GET /path HTTP/1.1"
        string[] requestLine = request.ToString().Split("\r\n")[0].Split(' ');
        return requestLine.Length >= 2 ? requestLine[1] : "";
    }
}
