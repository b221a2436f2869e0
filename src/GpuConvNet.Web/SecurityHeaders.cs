using Microsoft.AspNetCore.Http;

namespace GpuConvNet.Web;

/// <summary>
/// Headers on every response that keep other sites' pages from framing the page, and browsers from running or
/// sniffing anything but the page's own files.
/// </summary>
internal static class SecurityHeaders
{
    // The page's script and style are its own files; answers are shown through the DOM and drawn on canvases
    // (data: and blob: images for files the user opens).
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static Task Add(HttpContext context, RequestDelegate next)
    {
        // At the last moment: an error handler's Response.Clear() drops headers set earlier.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
