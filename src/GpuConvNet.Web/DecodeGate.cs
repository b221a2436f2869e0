using System.Runtime;
using System.Threading.RateLimiting;
using GpuConvNet.Imaging;
using Microsoft.AspNetCore.Http;

namespace GpuConvNet.Web;

/// <summary>
/// Admits image decodes within <see cref="DecodeLimits"/>: small pictures through a count of concurrent decodes,
/// large ones through a budget of decoded bytes (permits of 1 MiB), each with a bounded queue; a request that does not
/// get in is refused with 503 and Retry-After. Each large decode's bitmap is collected as soon as it is done with, and
/// when the last one of a burst ends the heap is compacted and returned to the system: a burst of 64-megapixel uploads
/// otherwise leaves the process gigabytes larger for good.
/// </summary>
public sealed class DecodeGate : IDisposable
{
    /// <summary>Seconds a refused client is told to wait before trying again.</summary>
    public const int RetryAfterSeconds = 5;

    private const int Mebibyte = 1 << 20;
    private readonly DecodeLimits limits;
    private readonly ConcurrencyLimiter small;
    private readonly ConcurrencyLimiter large;
    private readonly int largePermits;
    private int largeInFlight;

    /// <summary>A gate for <paramref name="limits"/>.</summary>
    public DecodeGate(DecodeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        this.limits = limits;
        small = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = limits.SmallDecodes, QueueLimit = limits.SmallQueue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        largePermits = (int)Math.Max(1, limits.LargeDecodeBytes / Mebibyte);
        large = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = largePermits, QueueLimit = (int)Math.Min(int.MaxValue, limits.LargeQueueBytes / Mebibyte), QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>The model's input for the image <paramref name="bytes"/>, decoded once the gate admits it.</summary>
    /// <exception cref="RequestException">503: too many decodes are running and waiting.</exception>
    public async Task<byte[]> Decode(byte[] bytes, Func<byte[], byte[]> decode, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(decode);
        long decodedBytes = ImageFile.DecodedBytes(bytes, shrinkTo: InputImage.DecodeSide);
        bool isLarge = decodedBytes > limits.SmallDecodeBytes;
        // A picture larger than the whole budget still decodes, alone.
        int permits = isLarge ? (int)Math.Min(largePermits, (decodedBytes + Mebibyte - 1) / Mebibyte) : 1;
        using var lease = await Admit(isLarge ? large : small, permits, cancel).ConfigureAwait(false);
        if (!isLarge)
        {
            return decode(bytes);
        }
        Interlocked.Increment(ref largeInFlight);
        try
        {
            // Seconds of work: on a thread of its own, so that the pool's few threads (two on two cores) keep serving.
            return await Task.Factory.StartNew(() => decode(bytes), cancel, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            // The bitmap is garbage now; left to the GC's own pace, a burst piles up gigabytes of them (measured:
            // benchmarks --upload-flood), so the budget would bound only what is being decoded, not what is held.
            if (Interlocked.Decrement(ref largeInFlight) == 0 && large.GetStatistics()?.CurrentQueuedCount is 0 or null)
            {
                ReturnMemory();
            }
            else
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
            }
        }
    }

    /// <summary>Frees the limiters (requests still waiting are refused).</summary>
    public void Dispose()
    {
        small.Dispose();
        large.Dispose();
    }

    private async Task<RateLimitLease> Admit(ConcurrencyLimiter limiter, int permits, CancellationToken cancel)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        waiting.CancelAfter(limits.QueueTimeout);
        RateLimitLease lease;
        try
        {
            lease = await limiter.AcquireAsync(permits, waiting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw Busy();
        }
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw Busy();
        }
        return lease;
    }

    private static RequestException Busy() => new(StatusCodes.Status503ServiceUnavailable,
        $"the server is busy decoding other large images; try again in {RetryAfterSeconds} seconds, or send a smaller picture", RetryAfterSeconds);

    // The decoded bitmaps are large-object-heap arrays, which a plain collection frees but neither compacts nor gives
    // back; an aggressive one does both (measured: benchmarks --upload-flood).
    private static void ReturnMemory()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
