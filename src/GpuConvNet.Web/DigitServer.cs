using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using GpuConvNet.Imaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
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
/// status (503 when busy), and the server stays up. It listens only where asked, answers only Host headers naming
/// where it listens (unless widened), and bounds the memory its image decodes take (<see cref="DecodeGate"/>).
/// </summary>
public static class DigitServer
{
    /// <summary>Largest request body: a phone photo fits, a flood does not (413).</summary>
    public const long MaxRequestBytes = 16L << 20;

    /// <summary>
    /// Builds (does not start) the server for <paramref name="service"/> as <paramref name="options"/> say (port 0:
    /// any free port; see <see cref="Addresses"/> once started).
    /// </summary>
    /// <exception cref="UserInputException">The host is neither localhost nor an IP address.</exception>
    public static WebApplication Build(DigitService service, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        var addresses = ListenAddresses.Parse(options.Host);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        Logging(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxRequestBytes;
            if (addresses.Count > 0)
            {
                kestrel.Listen(addresses[0], options.Port);
            }
            else if (options.Port == 0)
            {
                // Kestrel binds "localhost" to both loopbacks, but only on a fixed port: a free one needs an address.
                kestrel.Listen(IPAddress.Loopback, 0);
            }
            else
            {
                kestrel.ListenLocalhost(options.Port);
            }
        });
        builder.Services.AddHostFiltering(filtering =>
        {
            filtering.AllowedHosts = [.. ListenAddresses.DefaultAllowedHosts(addresses), .. options.AllowedHosts];
            // The refusal is written as JSON below, like every other error.
            filtering.IncludeFailureMessage = false;
        });
        // The web host puts host filtering first in the pipeline: the headers and JSON for bodiless answers go before
        // it, so that its refusals get them too.
        builder.Services.Insert(0, ServiceDescriptor.Transient<IStartupFilter>(_ => new OutermostMiddleware(app =>
        {
            app.Use(SecurityHeaders.Add);
            app.UseStatusCodePages(StatusWithoutBody);
        })));
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton(_ => new DecodeGate(options.Decoding));
        var app = builder.Build();
        app.Use(JsonErrors);
        app.MapGet("/healthz", () => Results.Json(new { status = "ok" }));
        app.MapGet("/api/model", () => Results.Json(service.Description, JsonOptions));
        app.MapPost("/api/predict", (HttpRequest request, DecodeGate gate) => Predict(request, service, gate));
        StaticPage.Map(app);
        return app;
    }

    // Warnings and errors go to stderr, where a command line's diagnostics belong. Not the host's start-up failure:
    // serve reports it in one line of its own (a port in use), instead of Kestrel's stack trace.
    private static void Logging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(console => console.SingleLine = true);
        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", level => level < LogLevel.Critical && level >= LogLevel.Warning);
    }

    /// <summary>The addresses a started server listens on (with the port chosen when 0 was asked).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
    }

    // Relaxed escaping: messages keep their "…" and "×" readable; the responses are JSON, never embedded in HTML.
    internal static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static async Task<IResult> Predict(HttpRequest request, DigitService service, DecodeGate gate)
    {
        var watch = Stopwatch.StartNew();
        var polarity = request.Query["invert"].ToString() switch
        {
            "" or "auto" => InkPolarity.Auto,
            "yes" => InkPolarity.DarkOnLight,
            "no" => InkPolarity.LightOnDark,
            var other => throw new RequestException(StatusCodes.Status400BadRequest, $"invert={other}: use auto, yes (dark ink on a light background) or no"),
        };
        byte[] field = await PredictionRequest.ReadField(request, service.TrainedOn.Preprocessing, polarity, gate, request.HttpContext.RequestAborted).ConfigureAwait(false);
        var answer = await service.PredictAsync(field).ConfigureAwait(false);
        var prediction = answer.Combined;
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
            // The models whose probabilities were averaged into this answer, each with its own.
            members = answer.Members.Select((member, i) => new
            {
                checkpoint = service.Description.Members[i].Checkpoint,
                name = service.Description.Members[i].Name,
                @class = member.Class,
                label = service.Description.Classes[member.Class],
                probability = member.Probabilities[member.Class],
                probabilities = member.Probabilities,
            }),
        }, JsonOptions);
    }

    // Errors of the user's request become 4xx JSON; Kestrel's own (413 for a body over the limit) too. Anything else
    // is a bug of ours: logged with its stack trace, and a 500 with a JSON message.
    private static async Task JsonErrors(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            int? status = Status(e);
            if (status is null)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DigitServer)).LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            }
            context.Response.Clear();
            context.Response.StatusCode = status ?? StatusCodes.Status500InternalServerError;
            if (e is RequestException { RetryAfterSeconds: { } seconds })
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }
            string message = e switch
            {
                Microsoft.AspNetCore.Http.BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                    $"the request is larger than {MaxRequestBytes >> 20} MiB; send a smaller image",
                _ when status is null => "internal error of the server; its log has the details",
                _ => e.Message,
            };
            await context.Response.WriteAsJsonAsync(new { error = message }, JsonOptions).ConfigureAwait(false);
        }
    }

    // Answers that carry no body of their own (an unknown route, a method a route does not take, a refused Host):
    // JSON too, in words.
    private static Task StatusWithoutBody(StatusCodeContext status)
    {
        var response = status.HttpContext.Response;
        string message = response.StatusCode switch
        {
            StatusCodes.Status404NotFound => $"there is nothing at {status.HttpContext.Request.Path}; the API is POST /api/predict, GET /api/model and GET /healthz",
            StatusCodes.Status405MethodNotAllowed => $"{status.HttpContext.Request.Method} is not accepted at {status.HttpContext.Request.Path}",
            StatusCodes.Status400BadRequest => "bad request: this server answers only requests addressed to the names it listens on (see serve --allowed-hosts)",
            _ => $"the server answered {response.StatusCode}",
        };
        return response.WriteAsJsonAsync(new { error = message }, JsonOptions);
    }

    private static int? Status(Exception e) => e switch
    {
        RequestException r => r.StatusCode,
        UserInputException => StatusCodes.Status400BadRequest,
        Microsoft.AspNetCore.Http.BadHttpRequestException b => b.StatusCode,
        _ => null,
    };
}
