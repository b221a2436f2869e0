using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace GpuConvNet.Data;

/// <summary>
/// Reads IDX files (the format of MNIST), gzip-compressed or raw: gzip is recognised by its magic bytes 1f 8b, not by
/// the file name. Every problem — a missing file, corrupt gzip, wrong magic, zero dimensions, a truncated body,
/// trailing bytes, a label out of range, image and label counts that disagree — is a
/// <see cref="UserInputException"/> naming the file and what is wrong; nothing half-read is ever returned.
/// </summary>
public static class IdxFile
{
    /// <summary>Magic of an unsigned-byte, three-dimensional IDX file: count × rows × cols.</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic of an unsigned-byte, one-dimensional IDX file: count labels.</summary>
    public const int LabelsMagic = 0x00000801;

    private const int ImagesHeaderBytes = 16;
    private const int LabelsHeaderBytes = 8;

    // A decompressed size beyond this is not an image data set we can hold in one array anyway.
    private const long MaxContentBytes = int.MaxValue - 64;

    /// <summary>Reads an IDX images file (magic 0x00000803).</summary>
    /// <exception cref="UserInputException">The file is missing, unreadable or not a well-formed images file.</exception>
    public static IdxImages ReadImages(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ParseImages(ReadContent(path), path);
    }

    /// <summary>Reads an IDX labels file (magic 0x00000801) whose labels must lie in 0..<paramref name="classCount"/>−1.</summary>
    /// <exception cref="UserInputException">The file is missing, unreadable, not a well-formed labels file, or has a label out of range.</exception>
    public static byte[] ReadLabels(string path, int classCount = 10)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classCount, 256);
        return ParseLabels(ReadContent(path), path, classCount);
    }

    /// <summary>Reads an images file and its labels file and checks that they hold the same number of items.</summary>
    /// <exception cref="UserInputException">Either file is bad, or their counts differ.</exception>
    public static LabeledImages ReadLabeledImages(string imagesPath, string labelsPath, int classCount = 10)
    {
        var images = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath, classCount);
        if (images.Count != labels.Length)
        {
            throw new UserInputException(
                $"{imagesPath} holds {Count(images.Count)} images but {labelsPath} holds {Count(labels.Length)} labels; " +
                "they are not a matching pair (e.g. train images with t10k labels): use the images and labels files of the same set");
        }
        return new LabeledImages(images, labels);
    }

    /// <summary>Writes <paramref name="set"/> as a gzip'd IDX images file and labels file, each atomically.</summary>
    /// <exception cref="UserInputException">A file cannot be written.</exception>
    public static void Write(string imagesPath, string labelsPath, LabeledImages set)
    {
        ArgumentNullException.ThrowIfNull(set);
        AtomicFile.Write(imagesPath, stream =>
        {
            using var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true);
            Span<byte> header = stackalloc byte[ImagesHeaderBytes];
            BinaryPrimitives.WriteInt32BigEndian(header, ImagesMagic);
            BinaryPrimitives.WriteInt32BigEndian(header[4..], set.Count);
            BinaryPrimitives.WriteInt32BigEndian(header[8..], set.Rows);
            BinaryPrimitives.WriteInt32BigEndian(header[12..], set.Cols);
            gzip.Write(header);
            gzip.Write(set.Images);
        }, "IDX images file");
        AtomicFile.Write(labelsPath, stream =>
        {
            using var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true);
            Span<byte> header = stackalloc byte[LabelsHeaderBytes];
            BinaryPrimitives.WriteInt32BigEndian(header, LabelsMagic);
            BinaryPrimitives.WriteInt32BigEndian(header[4..], set.Count);
            gzip.Write(header);
            gzip.Write(set.Labels);
        }, "IDX labels file");
    }

    /// <summary>Parses the bytes of an images file; <paramref name="name"/> is the file named in messages.</summary>
    internal static IdxImages ParseImages(ReadOnlySpan<byte> content, string name)
    {
        CheckMagic(content, name, ImagesMagic);
        if (content.Length < ImagesHeaderBytes)
        {
            throw Truncated(name, $"it has {content.Length} bytes, fewer than the {ImagesHeaderBytes}-byte header of an IDX images file");
        }
        long count = ReadDimension(content, 4);
        long rows = ReadDimension(content, 8);
        long cols = ReadDimension(content, 12);
        if (rows == 0 || cols == 0)
        {
            throw new UserInputException($"{name}: the header says images are {rows}×{cols} pixels; an image needs at least one row and one column, so this is not a usable images file");
        }
        long expected = count * rows * cols;
        CheckBodyLength(content.Length - ImagesHeaderBytes, expected, name, $"{Count(count)} images of {rows}×{cols} pixels");
        if (count == 0)
        {
            throw new UserInputException($"{name}: the header says it holds no images; use a file with at least one image");
        }
        var pixels = content.Slice(ImagesHeaderBytes, (int)expected).ToArray();
        return new IdxImages((int)count, (int)rows, (int)cols, pixels);
    }

    /// <summary>Parses the bytes of a labels file; <paramref name="name"/> is the file named in messages.</summary>
    internal static byte[] ParseLabels(ReadOnlySpan<byte> content, string name, int classCount)
    {
        CheckMagic(content, name, LabelsMagic);
        if (content.Length < LabelsHeaderBytes)
        {
            throw Truncated(name, $"it has {content.Length} bytes, fewer than the {LabelsHeaderBytes}-byte header of an IDX labels file");
        }
        long count = ReadDimension(content, 4);
        CheckBodyLength(content.Length - LabelsHeaderBytes, count, name, $"{Count(count)} labels");
        if (count == 0)
        {
            throw new UserInputException($"{name}: the header says it holds no labels; use a file with at least one label");
        }
        var body = content.Slice(LabelsHeaderBytes, (int)count);
        // Vectorised scan for the common case; the slow loop runs only to name the first bad label.
        int bad = body.IndexOfAnyExceptInRange((byte)0, (byte)(classCount - 1));
        if (bad >= 0)
        {
            throw new UserInputException(
                $"{name}: label {body[bad]} at index {bad} is outside 0..{classCount - 1}; the file is not a {classCount}-class labels file, or it is damaged (download it again)");
        }
        return body.ToArray();
    }

    /// <summary>The file's bytes, decompressed when it starts with the gzip magic 1f 8b.</summary>
    internal static ReadOnlySpan<byte> ReadContent(string path)
    {
        byte[] raw = UserFile.Read(path, kind: null,
            "check the path (MNIST needs the four files train-images, train-labels, t10k-images and t10k-labels)", File.ReadAllBytes);
        if (raw.Length < 2 || raw[0] != 0x1f || raw[1] != 0x8b)
        {
            return raw;
        }
        try
        {
            return Decompress(raw, path);
        }
        catch (InvalidDataException e)
        {
            throw new UserInputException($"{path}: the gzip data is corrupt or truncated ({OneLine(e.Message)}); download the file again", e);
        }
    }

    /// <summary>
    /// Inflates at most what the IDX header inside promises (plus one byte, to see if more follows): a gzip "bomb" that
    /// inflates to gigabytes is refused after reading the header and the promised size, in memory bounded by it.
    /// </summary>
    private static byte[] Decompress(byte[] raw, string path)
    {
        using var gzip = new GZipStream(new MemoryStream(raw, writable: false), CompressionMode.Decompress);
        var header = new byte[ImagesHeaderBytes];
        int got = ReadAtMost(gzip, header, 0, header.Length);
        long promised = PromisedLength(header.AsSpan(0, got));
        if (promised <= got)
        {
            // Too short, or no IDX magic: the parser says what is wrong with these bytes.
            return header[..got];
        }
        if (promised > MaxContentBytes)
        {
            throw new UserInputException($"{path}: its header promises {promised} bytes, more than an image data set this program can hold; the header is damaged or this is not an MNIST file");
        }
        var content = new byte[promised];
        header.AsSpan(0, got).CopyTo(content);
        int length = got + ReadAtMost(gzip, content, got, content.Length - got);
        if (length == content.Length && gzip.ReadByte() >= 0)
        {
            throw new UserInputException(
                $"{path}: decompresses to more than the {promised} bytes its header promises; it is damaged or not an MNIST file (the rest was not decompressed)");
        }
        return length == content.Length ? content : content[..length];
    }

    /// <summary>The whole content's length that an IDX header promises, or the header's own length when it is no IDX header.</summary>
    private static long PromisedLength(ReadOnlySpan<byte> header)
    {
        if (header.Length >= ImagesHeaderBytes && BinaryPrimitives.ReadInt32BigEndian(header) == ImagesMagic)
        {
            // In double: three 32-bit dimensions can overflow a long; anything that large is refused anyway.
            double body = (double)ReadDimension(header, 4) * ReadDimension(header, 8) * ReadDimension(header, 12);
            return body > MaxContentBytes ? long.MaxValue : ImagesHeaderBytes + (long)body;
        }
        if (header.Length >= LabelsHeaderBytes && BinaryPrimitives.ReadInt32BigEndian(header) == LabelsMagic)
        {
            return LabelsHeaderBytes + ReadDimension(header, 4);
        }
        return header.Length;
    }

    private static int ReadAtMost(Stream stream, byte[] buffer, int offset, int count)
    {
        int total = 0;
        while (total < count)
        {
            int read = stream.Read(buffer, offset + total, count - total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    private static void CheckMagic(ReadOnlySpan<byte> content, string name, int expected)
    {
        string what = expected == ImagesMagic ? "images" : "labels";
        if (content.Length < 4)
        {
            throw Truncated(name, $"it has {content.Length} bytes, too few for even the 4-byte IDX magic number");
        }
        int magic = BinaryPrimitives.ReadInt32BigEndian(content);
        if (magic == expected)
        {
            return;
        }
        string actual = magic switch
        {
            ImagesMagic => "the magic of an IDX images file",
            LabelsMagic => "the magic of an IDX labels file",
            _ when content[0] == 0 && content[1] == 0 => $"an IDX magic for element type 0x{content[2]:x2} with {content[3]} dimensions",
            _ => "not an IDX magic at all",
        };
        throw new UserInputException(
            $"{name}: not an IDX {what} file: its magic number is 0x{magic:x8} ({actual}), expected 0x{expected:x8}; pass the {what} file (e.g. {(expected == ImagesMagic ? "train-images-idx3-ubyte.gz" : "train-labels-idx1-ubyte.gz")})");
    }

    private static long ReadDimension(ReadOnlySpan<byte> content, int offset) =>
        BinaryPrimitives.ReadUInt32BigEndian(content[offset..]);

    private static void CheckBodyLength(long actual, long expected, string name, string promise)
    {
        if (expected > MaxContentBytes)
        {
            throw new UserInputException($"{name}: the header promises {promise} ({expected} bytes), more than this program can hold; the header is damaged or this is not an MNIST file");
        }
        if (actual < expected)
        {
            throw Truncated(name, $"the header promises {promise} ({expected} bytes) but only {actual} bytes follow it");
        }
        if (actual > expected)
        {
            throw new UserInputException(
                $"{name}: {actual - expected} bytes of trailing data after the {promise} ({expected} bytes) that the header promises; header and data disagree, so the file is damaged: download it again");
        }
    }

    private static UserInputException Truncated(string name, string detail) =>
        new($"{name} is truncated: {detail}; download the file again");

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
