using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace GpuConvNet.Web;

/// <summary>
/// What <c>serve --host</c> may say and what it means: <c>localhost</c> (both loopbacks), or an IP address of this
/// machine (<c>0.0.0.0</c> or <c>::</c> for every interface). Anything else (a typo such as <c>999.1.1.1</c>, or a
/// name) is refused: Kestrel would take it as "every interface".
/// </summary>
public static class ListenAddresses
{
    /// <summary>The default host: this machine only.</summary>
    public const string Localhost = "localhost";

    /// <summary>The addresses <paramref name="host"/> stands for; empty for <c>localhost</c>, which Kestrel binds itself.</summary>
    /// <exception cref="UserInputException"><paramref name="host"/> is neither localhost nor an IP address.</exception>
    public static IReadOnlyList<IPAddress> Parse(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (string.Equals(host, Localhost, StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }
        // IPAddress.TryParse takes "1" or "127.1" as shorthand; a user who typed that most likely meant something else.
        string literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(literal, out var address)
            && (address.AddressFamily == AddressFamily.InterNetworkV6 || literal.Count(c => c == '.') == 3))
        {
            return [address];
        }
        throw new UserInputException(
            $"--host {host} is not an address to listen on: use localhost (this machine only), 0.0.0.0 (every interface: other machines too) or one of this machine's IP addresses");
    }

    /// <summary>
    /// The Host header values the server answers by default when listening on <paramref name="addresses"/> (empty:
    /// localhost): the names of what it is bound to, so that a page from elsewhere that points a DNS name at this
    /// machine (DNS rebinding) is refused.
    /// </summary>
    public static IReadOnlyList<string> DefaultAllowedHosts(IReadOnlyList<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var names = new List<string> { Localhost, "127.0.0.1", "[::1]" };
        foreach (var address in addresses)
        {
            if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            {
                // Every interface: each of this machine's addresses, and its name.
                names.Add(Dns.GetHostName());
                names.AddRange(NetworkInterface.GetAllNetworkInterfaces()
                    .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                    .Select(u => Name(u.Address)));
            }
            else
            {
                names.Add(Name(address));
            }
        }
        return [.. names.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    // As a Host header carries it: IPv6 in brackets, without a zone.
    private static string Name(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6
        ? $"[{new IPAddress(address.GetAddressBytes())}]"
        : address.ToString();
}
