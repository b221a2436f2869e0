using System.Net;

namespace GpuConvNet.Data;

/// <summary>
/// The system proxy (HTTP_PROXY etc.), except that loopback URLs always go direct: .NET sends 127.0.0.1 through an
/// environment proxy unless NO_PROXY lists it, and a mirror on this machine is never reachable through a proxy.
/// </summary>
internal sealed class LoopbackBypassingProxy(IWebProxy inner) : IWebProxy
{
    public ICredentials? Credentials
    {
        get => inner.Credentials;
        set => inner.Credentials = value;
    }

    public Uri? GetProxy(Uri destination) => inner.GetProxy(destination);

    public bool IsBypassed(Uri host) => host.IsLoopback || inner.IsBypassed(host);
}
