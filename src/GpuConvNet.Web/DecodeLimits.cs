namespace GpuConvNet.Web;

/// <summary>
/// Bounds on the uploads being decoded at once. An upload is small when its decoded bitmap takes at most
/// <paramref name="SmallDecodeBytes"/>; small ones decode <paramref name="SmallDecodes"/> at a time. Large ones share
/// <paramref name="LargeDecodeBytes"/> of decoded bitmaps; those that do not fit wait, up to
/// <paramref name="LargeQueueBytes"/> of them and <paramref name="QueueTimeout"/> each, and past that are refused (503
/// with Retry-After). Small ones never wait behind large ones, so a flood of large pictures does not stall the page.
/// </summary>
public sealed record DecodeLimits(long SmallDecodeBytes, int SmallDecodes, int SmallQueue, long LargeDecodeBytes, long LargeQueueBytes, TimeSpan QueueTimeout)
{
    /// <summary>
    /// Small: up to 16 MiB decoded (4 megapixels, a phone photo's JPEG shrunk while decoding), two per core, 256
    /// waiting. Large: 512 MiB decoded at once (two 64-megapixel PNGs), 2 GiB of them waiting, 30 s at most.
    /// </summary>
    public static DecodeLimits Default { get; } = new(16L << 20, Math.Max(4, 2 * Environment.ProcessorCount), 256, 512L << 20, 2L << 30, TimeSpan.FromSeconds(30));
}
