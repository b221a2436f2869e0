namespace GpuConvNet.Data;

/// <summary>How far a download has come, reported while the bytes arrive.</summary>
/// <param name="FileName">The file being downloaded.</param>
/// <param name="Source">The URL it comes from.</param>
/// <param name="BytesReceived">Bytes received so far.</param>
/// <param name="TotalBytes">The size the server announced, or null when it did not.</param>
public readonly record struct DownloadProgress(string FileName, Uri Source, long BytesReceived, long? TotalBytes);
