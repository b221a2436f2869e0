using System.Net;
using System.Security.Cryptography;

namespace GpuConvNet.Data;

/// <summary>
/// Downloads one MNIST file from a list of mirrors: each attempt streams into a temp file beside the target while
/// hashing it, and only a file whose SHA-256 is accepted is renamed into place, so the target is never partial or
/// wrong. A failed attempt deletes its temp file and the next mirror is tried.
/// </summary>
internal sealed class MnistDownloader(HttpClient http, TimeSpan stallTimeout, TimeSpan mirrorDeadline, Action<DownloadProgress>? progress)
{
    // The largest MNIST file is 9.9 MB; anything far bigger is not MNIST and would only fill the disk.
    private const long MaxBytes = 64L * 1024 * 1024;

    /// <summary>
    /// Downloads <paramref name="file"/> to <paramref name="targetPath"/> from the first mirror that delivers it
    /// intact. Returns null on success, else one line per mirror saying why it failed.
    /// </summary>
    public async Task<IReadOnlyList<string>?> DownloadAsync(MnistFile file, IReadOnlyList<Uri> mirrors, string targetPath, CancellationToken cancel)
    {
        var failures = new List<string>();
        foreach (var mirror in mirrors)
        {
            var source = new Uri(mirror, file.Name);
            string? failure = await TryMirrorAsync(file, source, targetPath, cancel).ConfigureAwait(false);
            if (failure is null)
            {
                return null;
            }
            failures.Add($"{source}: {failure}");
        }
        return failures;
    }

    private async Task<string?> TryMirrorAsync(MnistFile file, Uri source, string targetPath, CancellationToken cancel)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(targetPath))!;
        // A unique hidden name per attempt: concurrent runs never write into each other's temp file.
        string temp = Path.Combine(directory, $".{file.Name}.{Guid.NewGuid():N}.part");
        // Two clocks: the stall timeout restarts with every read; the deadline counts the whole file from this mirror.
        using var deadline = new CancellationTokenSource(mirrorDeadline);
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancel, deadline.Token);
        try
        {
            stall.CancelAfter(stallTimeout);
            using var response = await http.GetAsync(source, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return $"HTTP {(int)response.StatusCode} {Reason(response)}";
            }
            long? total = response.Content.Headers.ContentLength;
            if (total > MaxBytes)
            {
                return $"the server announces {total} bytes, far more than any MNIST file";
            }
            string sha256;
            var stream = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var result = await CopyAndHashAsync(file, source, stream, temp, total, stall, cancel).ConfigureAwait(false);
                if (result.Failure is not null)
                {
                    return result.Failure;
                }
                sha256 = result.Sha256;
            }
            if (!file.Accepts(sha256))
            {
                return $"SHA-256 {sha256} is not an accepted checksum of {file.Name} (a corrupt or altered file), discarded";
            }
            File.Move(temp, targetPath, overwrite: true);
            return null;
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return deadline.IsCancellationRequested
                ? $"still not complete after {mirrorDeadline.TotalSeconds:0.#} s in all (a mirror that trickles), given up"
                : $"no response for {stallTimeout.TotalSeconds:0.#} s";
        }
        catch (HttpRequestException e)
        {
            return Describe(e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return OneLine(e.Message);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private async Task<(string Sha256, string? Failure)> CopyAndHashAsync(
        MnistFile file, Uri source, Stream input, string temp, long? total, CancellationTokenSource stall, CancellationToken cancel)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using (output.ConfigureAwait(false))
        {
            var buffer = new byte[1 << 16];
            long received = 0;
            progress?.Invoke(new DownloadProgress(file.Name, source, 0, total));
            while (true)
            {
                stall.CancelAfter(stallTimeout);
                int n = await input.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                received += n;
                if (received > MaxBytes)
                {
                    return ("", $"more than {MaxBytes} bytes arrived, far more than any MNIST file");
                }
                hash.AppendData(buffer, 0, n);
                await output.WriteAsync(buffer.AsMemory(0, n), cancel).ConfigureAwait(false);
                progress?.Invoke(new DownloadProgress(file.Name, source, received, total));
            }
            if (total is long expected && received != expected)
            {
                return ("", $"the connection ended after {received} of {expected} bytes");
            }
            // On disk before the rename, so a crash right after cannot leave a renamed but empty file.
            output.Flush(flushToDisk: true);
        }
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), null);
    }

    private static string Reason(HttpResponseMessage response) =>
        string.IsNullOrWhiteSpace(response.ReasonPhrase) ? response.StatusCode.ToString() : OneLine(response.ReasonPhrase);

    private static string Describe(HttpRequestException e)
    {
        string message = OneLine(e.Message);
        // The socket error (e.g. "Connection refused") is often only in the inner exception.
        if (e.InnerException is { } inner && !message.Contains(inner.Message, StringComparison.Ordinal))
        {
            message += $" ({OneLine(inner.Message)})";
        }
        return e.StatusCode is HttpStatusCode status ? $"HTTP {(int)status}: {message}" : message;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover hidden .part file is harmless: it is never read and a later run uses a new name.
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
