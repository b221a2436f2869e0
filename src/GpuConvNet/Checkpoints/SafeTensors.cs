using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace GpuConvNet.Checkpoints;

/// <summary>
/// Saves and loads checkpoints in the safetensors format (https://github.com/huggingface/safetensors): an 8-byte
/// little-endian header length, a JSON header padded with spaces to a multiple of 8 bytes, then the tensors' raw
/// little-endian bytes. Files written here load in Python with <c>safetensors.torch.load_file</c>.
/// </summary>
/// <remarks>
/// Saving writes a temp file beside the target and renames it over the target only when complete, so an
/// interrupted save leaves the previous checkpoint intact. Loading validates the whole layout, and
/// <see cref="Load(string, IReadOnlyList{TensorSpec})"/> checks the tensors against what the model expects.
/// </remarks>
public static class SafeTensors
{
    /// <summary>The header key of the string-to-string metadata map.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Saves <paramref name="checkpoint"/> to <paramref name="path"/>, atomically replacing any file there.</summary>
    /// <exception cref="UserInputException">The file cannot be written; any previous file at the path is unchanged.</exception>
    public static void Save(string path, Checkpoint checkpoint) => Save(path, checkpoint, wrap: null);

    /// <summary>As <see cref="Save(string, Checkpoint)"/>, writing through <paramref name="wrap"/>(stream) when given: tests inject failures there.</summary>
    internal static void Save(string path, Checkpoint checkpoint, Func<Stream, Stream>? wrap)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        AtomicFile.Write(path, stream =>
        {
            var target = wrap?.Invoke(stream) ?? stream;
            Write(target, checkpoint);
            target.Flush();
        }, "checkpoint");
    }

    /// <summary>Writes <paramref name="checkpoint"/> in safetensors format to <paramref name="output"/>.</summary>
    public static void Write(Stream output, Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var header = SafeTensorsHeader.Serialize(checkpoint);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        output.Write(length);
        output.Write(header);
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        foreach (var tensor in checkpoint.Tensors)
        {
            if (tensor.Int64Data is { } longs)
            {
                foreach (long value in longs)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
                    output.Write(bytes);
                }
            }
            else
            {
                WriteLittleEndian(output, tensor.Data);
            }
        }
    }

    /// <summary>
    /// Reads and validates the safetensors file at <paramref name="path"/>, whatever tensors it holds: the header
    /// length first, then the header, and the data only once the header accounts for every byte of it, so that a
    /// device (/dev/zero), a huge file of anything or a lying header is refused after reading a few bytes.
    /// </summary>
    /// <exception cref="UserInputException">The file is missing, unreadable or not a valid safetensors file.</exception>
    public static SafeTensorsFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (System.IO.Directory.Exists(path))
        {
            throw new UserInputException($"checkpoint {path} is a folder; name a .safetensors file (e.g. {Path.Combine(path, "cnn.safetensors")})");
        }
        // A device or a pipe has no size (stat says 0) to check a header against, and /dev/zero never ends: refused
        // before opening, which would wait for a pipe's writer.
        if (new FileInfo(path) is { Exists: true, Length: 0 })
        {
            throw NotACheckpointFile(path);
        }
        return UserFile.Read(path, "checkpoint", "check the path, or train a model to create it", ReadValidated);
    }

    private static SafeTensorsFile ReadValidated(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            long length = stream.CanSeek ? stream.Length : 0;
            if (length == 0)
            {
                throw NotACheckpointFile(path);
            }
            Span<byte> first = stackalloc byte[(int)Math.Min(9, length)];
            stream.ReadExactly(first);
            int headerLength = SafeTensorsHeader.HeaderLength(first, length, path);
            var header = new byte[headerLength];
            stream.Position = 8;
            stream.ReadExactly(header);
            long dataLength = length - 8 - headerLength;
            var (entries, metadata) = SafeTensorsHeader.ParseHeader(header, dataLength, path);
            if (dataLength > Array.MaxLength)
            {
                throw new UserInputException($"checkpoint {path} holds {dataLength >> 20:N0} MiB of tensors, more than can be loaded at once");
            }
            var data = new byte[dataLength];
            stream.ReadExactly(data);
            return new SafeTensorsFile(path, data, 0, entries, metadata);
        }
        catch (EndOfStreamException e)
        {
            throw new UserInputException($"checkpoint {path} ended while it was read (it changed or was cut meanwhile); read it again", e);
        }
    }

    private static UserInputException NotACheckpointFile(string path) =>
        new($"checkpoint {path} is empty, or not a regular file (a device or a pipe); use a .safetensors file written by 'gpuconvnet train'");

    /// <summary>Validates safetensors bytes in memory; <paramref name="name"/> names them in messages.</summary>
    /// <exception cref="UserInputException">They are not a valid safetensors file.</exception>
    public static SafeTensorsFile Parse(byte[] bytes, string name)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return SafeTensorsHeader.Parse(bytes, name);
    }

    /// <summary>
    /// Loads the checkpoint at <paramref name="path"/> for a model whose parameters are <paramref name="expected"/>:
    /// every expected tensor must be present as F32 with exactly the expected shape, and no other tensor may be
    /// present. Returns the tensors in the order of <paramref name="expected"/>, with the file's metadata.
    /// </summary>
    /// <exception cref="UserInputException">
    /// The file is invalid, or does not match: the message lists every missing and unexpected tensor and every
    /// shape (got vs expected) and dtype mismatch.
    /// </exception>
    public static Checkpoint Load(string path, IReadOnlyList<TensorSpec> expected) => Load(Read(path), expected);

    /// <summary>
    /// The same check and load as <see cref="Load(string, IReadOnlyList{TensorSpec})"/>, on a file already read; tensors
    /// for which <paramref name="isExtra"/> holds may be there besides the expected ones (they are not loaded).
    /// </summary>
    public static Checkpoint Load(SafeTensorsFile file, IReadOnlyList<TensorSpec> expected, Func<string, bool>? isExtra = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(expected);
        var problems = new List<string>();
        var expectedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in expected)
        {
            expectedNames.Add(spec.Name);
            var entry = file.Find(spec.Name);
            if (entry is null)
            {
                problems.Add($"missing {spec.Name}");
                continue;
            }
            var expectedShape = spec.Shape.Select(d => (long)d).ToArray();
            if (!entry.Shape.SequenceEqual(expectedShape))
            {
                problems.Add($"{spec.Name} has shape {TensorSpec.FormatShape(entry.Shape)} but the model expects {TensorSpec.FormatShape(expectedShape)}");
            }
            if (entry.DType != "F32")
            {
                problems.Add($"{spec.Name} has dtype {entry.DType} but the model expects F32");
            }
        }
        foreach (var entry in file.Entries)
        {
            if (!expectedNames.Contains(entry.Name) && !(isExtra?.Invoke(entry.Name) ?? false))
            {
                problems.Add($"unexpected {entry.Name}");
            }
        }
        if (problems.Count > 0)
        {
            string origin = file.Metadata.TryGetValue("model", out string? model) ? $" (it was saved from model '{model}')" : "";
            throw new UserInputException(
                $"checkpoint {file.Name} does not fit this model{origin}: {string.Join("; ", problems)}; load it with the model it was trained with, or train this model afresh");
        }
        var tensors = expected.Select(spec => new CheckpointTensor(spec.Name, spec.Shape, file.ReadFloats(spec.Name))).ToArray();
        return new Checkpoint(tensors, file.Metadata);
    }

    private static void WriteLittleEndian(Stream output, float[] data)
    {
        if (BitConverter.IsLittleEndian)
        {
            output.Write(MemoryMarshal.AsBytes(data.AsSpan()));
            return;
        }
        var buffer = new byte[sizeof(float) * 1024];
        for (int start = 0; start < data.Length; start += 1024)
        {
            int count = Math.Min(1024, data.Length - start);
            for (int i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * sizeof(float)), data[start + i]);
            }
            output.Write(buffer, 0, count * sizeof(float));
        }
    }
}
