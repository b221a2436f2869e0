namespace GpuConvNet;

/// <summary>
/// Replaces a file all at once: the content goes to a temp file in the target's folder, is flushed to disk, and is
/// then renamed over the target. A crash or an exception at any point leaves either the old file or the new one,
/// never a half-written one.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text, string what) =>
        Write(path, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(text)), what);

    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/>, creating its folder if needed.
    /// <paramref name="what"/> names the file in messages ("checkpoint", "image").
    /// </summary>
    /// <exception cref="UserInputException">The folder or file cannot be written (permissions, disk full, a bad path).</exception>
    public static void Write(string path, Action<Stream> write, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new UserInputException($"cannot write {what} {path}: not a valid path ({e.Message.ReplaceLineEndings(" ")}); give a file path", e);
        }
        string directory = Path.GetDirectoryName(full) ?? "";
        if (directory.Length == 0 || Path.GetFileName(full).Length == 0)
        {
            throw new UserInputException($"cannot write {what} {path}: it names a folder, not a file; give a file path");
        }
        string? temp = null;
        try
        {
            Directory.CreateDirectory(directory);
            // Same folder as the target: a rename within one file system is atomic, across file systems it is a copy.
            temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
            temp = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"cannot write {what} {path}: {e.Message.ReplaceLineEndings(" ")}; check that the path is valid, its folder writable and the disk not full", e);
        }
        finally
        {
            if (temp is not null)
            {
                TryDelete(temp);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The write already failed and is being reported; a stray hidden .tmp file must not hide that error.
        }
    }

    /// <summary>
    /// Deletes the hidden temporary files that writes into <paramref name="directory"/> left when their process was
    /// killed (<c>.name.GUID.tmp</c>, or another <paramref name="extension"/> such as the downloads' <c>part</c>; older than
    /// <paramref name="olderThan"/> so that a concurrent writer's survive);
    /// returns how many. Files that cannot be deleted are left alone.
    /// </summary>
    public static int DeleteStaleTemporaries(string directory, TimeSpan olderThan, string extension = "tmp")
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }
        int deleted = 0;
        foreach (var file in Directory.EnumerateFiles(directory, ".*." + extension))
        {
            var name = Path.GetFileName(file);
            var parts = name.Split('.');
            bool ours = parts.Length >= 4 && parts[^1] == extension && parts[^2].Length == 32 && parts[^2].All(char.IsAsciiHexDigitLower);
            if (!ours || DateTime.UtcNow - File.GetLastWriteTimeUtc(file) < olderThan)
            {
                continue;
            }
            try
            {
                File.Delete(file);
                deleted++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Someone else's, or in use: not ours to force.
            }
        }
        return deleted;
    }
}
