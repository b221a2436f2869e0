namespace GpuConvNet;

/// <summary>
/// Reading a file a user named (a checkpoint, an image, an IDX file): a missing or unreadable file becomes a
/// <see cref="UserInputException"/> that names it and says what to do, never an IO exception with a stack trace.
/// </summary>
public static class UserFile
{
    /// <summary>
    /// <paramref name="read"/>(<paramref name="path"/>). A missing file or folder is told as "<paramref name="kind"/>
    /// <paramref name="path"/> does not exist; <paramref name="whenMissing"/>", any other IO or permission failure as
    /// "… cannot be read: (the system's reason); check that it is a readable file". A <see cref="UserInputException"/>
    /// from <paramref name="read"/> passes unchanged.
    /// </summary>
    /// <param name="path">The file, as the user named it.</param>
    /// <param name="kind">What the file is, before its path in messages (<c>checkpoint</c>), or null for the path alone.</param>
    /// <param name="whenMissing">What to do when it does not exist.</param>
    /// <param name="read">Reads the file at the path it is given.</param>
    public static T Read<T>(string path, string? kind, string whenMissing, Func<string, T> read)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(read);
        string subject = kind is null ? path : $"{kind} {path}";
        try
        {
            return read(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UserInputException($"{subject} does not exist; {whenMissing}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{subject} cannot be read: {e.Message.ReplaceLineEndings(" ")}; check that it is a readable file", e);
        }
    }
}
