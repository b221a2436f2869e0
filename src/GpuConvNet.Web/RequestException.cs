namespace GpuConvNet.Web;

/// <summary>A request the server refuses, with the status and the message the client gets as JSON.</summary>
public sealed class RequestException(int statusCode, string message, int? retryAfterSeconds = null) : Exception(message)
{
    /// <summary>The HTTP status (4xx, or 503 when busy).</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>For 503: the seconds the client should wait before trying again (the Retry-After header).</summary>
    public int? RetryAfterSeconds { get; } = retryAfterSeconds;
}
