using System.Buffers.Binary;
using Onnx;

namespace GpuConvNet.Onnx;

/// <summary>
/// The values of an ONNX model's tensors, from the file or from external data beside it. Every size is checked against
/// the bytes that are really there before anything is allocated, and external data is read only from files inside the
/// model's folder (no absolute path, no <c>..</c>, no symbolic link), so that a hostile file costs no more memory than
/// its own length.
/// </summary>
internal sealed class TensorReader(string modelPath, string folder)
{
    /// <summary>The most elements of all tensors of one model together (1 GiB of floats); far beyond any MNIST model.</summary>
    public const long MaxTotalElements = 1L << 28;

    private long elementsRead;

    /// <summary>The dimensions of <paramref name="tensor"/>, each checked to be non-negative.</summary>
    public long[] Dims(TensorProto tensor)
    {
        foreach (long d in tensor.Dims)
        {
            if (d < 0)
            {
                throw Refused(tensor, $"has a negative dimension ({d})");
            }
        }
        return [.. tensor.Dims];
    }

    /// <summary>The elements of a FLOAT tensor, row-major.</summary>
    public float[] Floats(TensorProto tensor)
    {
        Require(tensor, TensorProto.Types.DataType.Float);
        long count = Count(tensor);
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            var bytes = External(tensor, count * sizeof(float));
            return ToFloats(bytes);
        }
        if (tensor.FloatData.Count > 0)
        {
            return tensor.FloatData.Count == count ? [.. tensor.FloatData] : throw SizeMismatch(tensor, count, $"{tensor.FloatData.Count} values");
        }
        return tensor.RawData.Length == count * sizeof(float)
            ? ToFloats(tensor.RawData.Span)
            : throw SizeMismatch(tensor, count, $"{tensor.RawData.Length} bytes (needs {count * sizeof(float)})");
    }

    /// <summary>The elements of an INT64 tensor (e.g. Reshape's shape), row-major.</summary>
    public long[] Int64s(TensorProto tensor)
    {
        Require(tensor, TensorProto.Types.DataType.Int64);
        long count = Count(tensor);
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            return ToInt64s(External(tensor, count * sizeof(long)));
        }
        if (tensor.Int64Data.Count > 0)
        {
            return tensor.Int64Data.Count == count ? [.. tensor.Int64Data] : throw SizeMismatch(tensor, count, $"{tensor.Int64Data.Count} values");
        }
        return tensor.RawData.Length == count * sizeof(long)
            ? ToInt64s(tensor.RawData.Span)
            : throw SizeMismatch(tensor, count, $"{tensor.RawData.Length} bytes (needs {count * sizeof(long)})");
    }

    private long Count(TensorProto tensor)
    {
        long count = 1;
        foreach (long d in Dims(tensor))
        {
            // Checked against the budget before each product: a declared 2^62 elements neither overflows nor allocates.
            if (d != 0 && count > (MaxTotalElements - elementsRead) / d)
            {
                throw Refused(tensor, $"declares [{string.Join(", ", tensor.Dims)}] elements, more than the {MaxTotalElements:N0} a model may hold in all");
            }
            count *= d;
        }
        elementsRead += count;
        return count;
    }

    private byte[] External(TensorProto tensor, long bytes)
    {
        var entries = tensor.ExternalData.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        if (!entries.TryGetValue("location", out var location) || location.Length == 0)
        {
            throw Refused(tensor, "is external data without a location");
        }
        string file = ExternalPath(tensor, location);
        long offset = Number(tensor, entries, "offset") ?? 0;
        long? length = Number(tensor, entries, "length");
        if (length is { } declared && declared != bytes)
        {
            throw Refused(tensor, $"declares {declared} bytes of external data but its shape needs {bytes}");
        }
        return UserFile.Read(file, $"external data of {modelPath}:", "it must be beside the model, as its location says", path =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
            if (offset > stream.Length || bytes > stream.Length - offset)
            {
                throw Refused(tensor, $"needs bytes {offset}..{offset + bytes} of {location}, which has {stream.Length}");
            }
            var data = new byte[bytes];
            stream.Position = offset;
            stream.ReadExactly(data);
            return data;
        });
    }

    // The location is relative to the model's folder and must stay inside it: no absolute path, no '..', no link out.
    private string ExternalPath(TensorProto tensor, string location)
    {
        var parts = location.Split('/', '\\');
        if (Path.IsPathRooted(location) || location.Contains(':', StringComparison.Ordinal) || parts.Any(p => p is ".." or ""))
        {
            throw Refused(tensor, $"has external data at '{location}'; only a relative path inside the model's folder is read (no absolute path, no '..')");
        }
        string root = Path.GetFullPath(folder);
        string full = Path.GetFullPath(Path.Combine(root, Path.Combine(parts)));
        if (!full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw Refused(tensor, $"has external data at '{location}', outside the model's folder");
        }
        for (var info = new FileInfo(full); info.FullName.Length > root.Length; info = new FileInfo(info.DirectoryName!))
        {
            if (info.LinkTarget is not null)
            {
                throw Refused(tensor, $"has external data at '{location}', through a symbolic link ({info.FullName}); only plain files inside the model's folder are read");
            }
        }
        return full;
    }

    private Exception SizeMismatch(TensorProto tensor, long count, string has) =>
        Refused(tensor, $"declares {count:N0} elements ([{string.Join(", ", tensor.Dims)}]) but holds {has}");

    private long? Number(TensorProto tensor, Dictionary<string, string> entries, string key)
    {
        if (!entries.TryGetValue(key, out var text))
        {
            return null;
        }
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long value)
            ? value
            : throw Refused(tensor, $"has external data whose {key} '{text}' is not a non-negative whole number");
    }

    private void Require(TensorProto tensor, TensorProto.Types.DataType type)
    {
        if (tensor.DataType != (int)type)
        {
            string actual = Enum.IsDefined(typeof(TensorProto.Types.DataType), tensor.DataType)
                ? ((TensorProto.Types.DataType)tensor.DataType).ToString().ToUpperInvariant()
                : $"type {tensor.DataType}";
            throw Refused(tensor, $"is {actual}; gpuconvnet reads {type.ToString().ToUpperInvariant()} here");
        }
    }

    private UserInputException Refused(TensorProto tensor, string what) => new($"{modelPath}: tensor '{tensor.Name}' {what}");

    private static float[] ToFloats(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }
        return values;
    }

    private static long[] ToInt64s(ReadOnlySpan<byte> bytes)
    {
        var values = new long[bytes.Length / sizeof(long)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes[(i * sizeof(long))..]);
        }
        return values;
    }
}
