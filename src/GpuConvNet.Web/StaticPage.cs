using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GpuConvNet.Web;

/// <summary>The drawing page's three files, served from this assembly's resources (no folder to deploy, nothing from a CDN).</summary>
internal static class StaticPage
{
    private static readonly (string Route, string Resource, string ContentType)[] Files =
    [
        ("/", "wwwroot/index.html", "text/html; charset=utf-8"),
        ("/app.js", "wwwroot/app.js", "text/javascript; charset=utf-8"),
        ("/app.css", "wwwroot/app.css", "text/css; charset=utf-8"),
    ];

    public static void Map(WebApplication app)
    {
        foreach (var (route, resource, contentType) in Files)
        {
            byte[] content = Read(resource);
            app.MapGet(route, (HttpContext context) =>
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
