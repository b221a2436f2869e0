namespace GpuConvNet.Web;

/// <summary>Where the server listens, whom it answers, and how much image decoding it takes on at once.</summary>
public sealed record ServerOptions
{
    /// <summary><c>localhost</c> or an IP address of this machine (see <see cref="ListenAddresses"/>).</summary>
    public string Host { get; init; } = ListenAddresses.Localhost;

    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; init; } = 5000;

    /// <summary>
    /// Host header values answered besides the bound names (<see cref="ListenAddresses.DefaultAllowedHosts"/>), e.g. a
    /// DNS name other machines use; <c>*</c> answers any.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>How many image decodes run at once and how much memory they may take.</summary>
    public DecodeLimits Decoding { get; init; } = DecodeLimits.Default;
}
