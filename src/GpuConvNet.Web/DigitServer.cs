using System.Diagnostics;
using System.Net;
using System.Text.Json;
using GpuConvNet.Imaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GpuConvNet.Web;

/// <summary>
/// The web server of <c>gpuconvnet serve</c>: the drawing page (<c>/</c>), <c>POST /api/predict</c>,
/// <c>GET /api/model</c> and <c>GET /healthz</c>, on Kestrel. Every error is JSON <c>{"error": "..."}</c> with a 4xx
/// status, and the server stays up.
/// </summary>
public static class DigitServer
{
    /// <summary>Largest request body: a phone photo fits, a flood does not (413).</summary>
    public const long MaxRequestBytes = 16L << 20;

    /// <summary>
    /// Builds (does not start) the server for <paramref name="service"/> on <paramref name="host"/>:<paramref name="port"/>
    /// (port 0: any free port; see <see cref="Addresses"/> once started).
    /// </summary>
    public static WebApplication Build(DigitService service, string host = "localhost", int port = 5000)
    {
        ArgumentNullException.ThrowIfNull(service);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBytes);
        // Kestrel binds "localhost" to both loopbacks, but only on a fixed port: a free one needs an address.
        string bind = port == 0 && host == "localhost" ? "127.0.0.1" : host;
        builder.WebHost.UseUrls($"http://{(IPAddress.TryParse(bind, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{bind}]" : bind)}:{port}");
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.Use(JsonErrors);
        app.MapGet("/healthz", () => Results.Json(new { status = "ok" }));
        app.MapGet("/api/model", () => Results.Json(service.Description, JsonOptions));
        app.MapPost("/api/predict", (HttpRequest request) => Predict(request, service));
        StaticPage.Map(app);
        return app;
    }

    /// <summary>The addresses a started server listens on (with the port chosen when 0 was asked).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
    }

    // Relaxed escaping: messages keep their "…" and "×" readable; the responses are JSON, never embedded in HTML.
    internal static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static async Task<IResult> Predict(HttpRequest request, DigitService service)
    {
        var watch = Stopwatch.StartNew();
        var polarity = request.Query["invert"].ToString() switch
        {
            "" or "auto" => InkPolarity.Auto,
            "yes" => InkPolarity.DarkOnLight,
            "no" => InkPolarity.LightOnDark,
            var other => throw new RequestException(StatusCodes.Status400BadRequest, $"invert={other}: use auto, yes (dark ink on a light background) or no"),
        };
        byte[] field = await PredictionRequest.ReadField(request, service.TrainedOn.Preprocessing, polarity, request.HttpContext.RequestAborted).ConfigureAwait(false);
        var prediction = await service.PredictAsync(field).ConfigureAwait(false);
        return Results.Json(new
        {
            @class = prediction.Class,
            label = service.Description.Classes[prediction.Class],
            probability = prediction.Probabilities[prediction.Class],
            probabilities = prediction.Probabilities,
            field = field.Select(b => (int)b),
            width = service.TrainedOn.Input.Width,
            height = service.TrainedOn.Input.Height,
            milliseconds = Math.Round(watch.Elapsed.TotalMilliseconds, 2),
        }, JsonOptions);
    }

    // Errors of the user's request become 4xx JSON; Kestrel's own (413 for a body over the limit) too.
    private static async Task JsonErrors(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && Status(e) is { } status)
        {
            context.Response.Clear();
            context.Response.StatusCode = status;
            string message = e is Microsoft.AspNetCore.Http.BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                ? $"the request is larger than {MaxRequestBytes >> 20} MiB; send a smaller image"
                : e.Message;
            await context.Response.WriteAsJsonAsync(new { error = message }, JsonOptions).ConfigureAwait(false);
        }
    }

    private static int? Status(Exception e) => e switch
    {
        RequestException r => r.StatusCode,
        UserInputException => StatusCodes.Status400BadRequest,
        Microsoft.AspNetCore.Http.BadHttpRequestException b => b.StatusCode,
        _ => null,
    };
}
