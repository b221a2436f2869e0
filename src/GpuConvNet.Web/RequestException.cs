namespace GpuConvNet.Web;

/// <summary>A request the server refuses, with the status and the message the client gets as JSON.</summary>
public sealed class RequestException(int statusCode, string message) : Exception(message)
{
    /// <summary>The HTTP status (4xx).</summary>
    public int StatusCode { get; } = statusCode;
}
