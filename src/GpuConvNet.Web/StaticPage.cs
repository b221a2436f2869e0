using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GpuConvNet.Web;

/// <summary>
/// The drawing page's files, served from this assembly's resources (no folder to deploy, nothing from a CDN), to GET
/// and HEAD. The icon is also at /favicon.ico, where browsers look for it whatever the page says.
/// </summary>
internal static class StaticPage
{
    private static readonly (string Route, string Resource, string ContentType)[] Files =
    [
        ("/", "wwwroot/index.html", "text/html; charset=utf-8"),
        ("/app.js", "wwwroot/app.js", "text/javascript; charset=utf-8"),
        ("/app.css", "wwwroot/app.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "wwwroot/favicon.svg", "image/svg+xml"),
        ("/favicon.ico", "wwwroot/favicon.svg", "image/svg+xml"),
    ];

    public static void Map(WebApplication app)
    {
        foreach (var (route, resource, contentType) in Files)
        {
            byte[] content = Read(resource);
            app.MapMethods(route, [HttpMethods.Get, HttpMethods.Head], (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "no-cache";
                return Results.Bytes(content, contentType);
            });
        }
    }

    private static byte[] Read(string resource)
    {
        using var stream = typeof(StaticPage).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the page resource {resource} is missing from the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
