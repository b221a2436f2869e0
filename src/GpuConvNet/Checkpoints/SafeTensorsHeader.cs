using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GpuConvNet.Checkpoints;

/// <summary>
/// Parses and validates a safetensors file's layout: an 8-byte little-endian header length N, N bytes of JSON
/// (an object mapping tensor names to {dtype, shape, data_offsets}, plus an optional "__metadata__" string map),
/// then the data section, which the tensors must cover exactly: contiguous, in bounds, not overlapping.
/// Also serialises a header for writing.
/// </summary>
internal static class SafeTensorsHeader
{
    // The reference implementation refuses headers above 100 MB; so do we, before allocating anything for one.
    public const long MaxHeaderBytes = 100_000_000;

    private static readonly Dictionary<string, int> DTypeSizes = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E5M2"] = 1, ["F8_E4M3"] = 1,
        ["U16"] = 2, ["I16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["U32"] = 4, ["I32"] = 4, ["F32"] = 4,
        ["U64"] = 8, ["I64"] = 8, ["F64"] = 8,
    };

    /// <summary>Parses <paramref name="bytes"/> (a whole file) into its validated contents.</summary>
    /// <exception cref="UserInputException">The layout is invalid; the message names <paramref name="name"/> and the problem.</exception>
    public static SafeTensorsFile Parse(byte[] bytes, string name)
    {
        int headerLength = HeaderLength(bytes, bytes.Length, name);
        var (entries, metadata) = ParseHeader(bytes.AsMemory(8, headerLength), bytes.Length - 8 - headerLength, name);
        return new SafeTensorsFile(name, bytes, 8 + headerLength, entries, metadata);
    }

    /// <summary>
    /// The header length the first 8 bytes of a file of <paramref name="fileLength"/> bytes declare, checked against
    /// the format's limit and the file's size before anything else is read.
    /// </summary>
    /// <exception cref="UserInputException">The file is too short, or the length cannot fit.</exception>
    public static int HeaderLength(ReadOnlySpan<byte> first, long fileLength, string name)
    {
        if (fileLength < 8)
        {
            throw Invalid(name, $"it has {fileLength} bytes, fewer than the 8-byte header length (the file is truncated)");
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(first);
        if (headerLength > MaxHeaderBytes)
        {
            throw Invalid(name, $"its header length field says {headerLength} bytes, more than the format's limit of {MaxHeaderBytes}");
        }
        if ((long)headerLength > fileLength - 8)
        {
            throw Invalid(name, $"its header length field says {headerLength} bytes but only {fileLength - 8} follow (the file is truncated)");
        }
        if (headerLength < 2 || first.Length > 8 && first[8] != (byte)'{')
        {
            throw Invalid(name, "its header is not a JSON object");
        }
        return (int)headerLength;
    }

    /// <summary>The entries and metadata of <paramref name="header"/> (the JSON), checked to cover <paramref name="dataLength"/> bytes of data exactly.</summary>
    /// <exception cref="UserInputException">The header is invalid.</exception>
    public static (List<SafeTensorEntry> Entries, Dictionary<string, string> Metadata) ParseHeader(ReadOnlyMemory<byte> header, long dataLength, string name)
    {
        if (header.Span[0] != (byte)'{')
        {
            throw Invalid(name, "its header is not a JSON object");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw Invalid(name, $"its header is not valid JSON ({e.Message.ReplaceLineEndings(" ")})");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(name, "its header is not a JSON object");
            }
            var entries = new List<SafeTensorEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw Invalid(name, $"its header names '{property.Name}' twice");
                }
                if (property.Name == SafeTensors.MetadataKey)
                {
                    ReadMetadata(property.Value, metadata, name);
                }
                else
                {
                    entries.Add(ReadEntry(property.Name, property.Value, name));
                }
            }
            CheckCoverage(entries, dataLength, name);
            return (entries, metadata);
        }
    }

    /// <summary>The padded header bytes for <paramref name="checkpoint"/>, tensors laid out in order.</summary>
    public static byte[] Serialize(Checkpoint checkpoint)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps names and metadata readable in the header (no \u002B for '+'); it is still strict JSON.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (checkpoint.Metadata.Count > 0)
            {
                json.WriteStartObject(SafeTensors.MetadataKey);
                foreach (var (key, value) in checkpoint.Metadata)
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var tensor in checkpoint.Tensors)
            {
                long size = tensor.ByteLength;
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType);
                json.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape)
                {
                    json.WriteNumberValue(dimension);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += size;
            }
            json.WriteEndObject();
        }
        // Spaces up to a multiple of 8 keep the data section 8-byte aligned, as the format recommends.
        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string name)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(name, "its __metadata__ is not an object of strings");
        }
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid(name, $"its __metadata__ value for '{item.Name}' is not a string");
            }
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw Invalid(name, $"its __metadata__ names '{item.Name}' twice");
            }
        }
    }

    private static SafeTensorEntry ReadEntry(string tensor, JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(name, $"tensor {tensor} lacks a string dtype, a shape array or a data_offsets array");
        }
        string dtype = dtypeElement.GetString()!;
        if (!DTypeSizes.TryGetValue(dtype, out int elementSize))
        {
            throw Invalid(name, $"tensor {tensor} has unknown dtype '{dtype}'");
        }
        var shape = shapeElement.EnumerateArray().Select(d => NonNegative(d, tensor, "shape", name)).ToArray();
        var offsets = offsetsElement.EnumerateArray().Select(d => NonNegative(d, tensor, "data_offsets", name)).ToArray();
        if (offsets.Length != 2 || offsets[0] > offsets[1])
        {
            throw Invalid(name, $"tensor {tensor} has data_offsets {TensorSpec.FormatShape(offsets)}; they must be [begin, end] with begin ≤ end");
        }
        long expectedBytes = elementSize;
        foreach (long dimension in shape)
        {
            // Guard the product: a lying shape must be reported, not overflow into a plausible number.
            expectedBytes = dimension == 0 ? 0 : expectedBytes > long.MaxValue / dimension ? long.MaxValue : expectedBytes * dimension;
        }
        if (offsets[1] - offsets[0] != expectedBytes)
        {
            throw Invalid(name, $"tensor {tensor} is {dtype} of shape {TensorSpec.FormatShape(shape)} ({expectedBytes} bytes) but its data_offsets {TensorSpec.FormatShape(offsets)} span {offsets[1] - offsets[0]} bytes");
        }
        return new SafeTensorEntry(tensor, dtype, shape, offsets[0], offsets[1]);
    }

    private static long NonNegative(JsonElement element, string tensor, string field, string name) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out long value) && value >= 0
            ? value
            : throw Invalid(name, $"tensor {tensor} has a {field} entry that is not a non-negative integer");

    // The tensors, sorted by offset, must tile the data section exactly: no gap, no overlap, nothing past the end.
    private static void CheckCoverage(List<SafeTensorEntry> entries, long dataLength, string name)
    {
        long expectedBegin = 0;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin < expectedBegin)
            {
                throw Invalid(name, $"tensor {entry.Name} at bytes [{entry.Begin}, {entry.End}) overlaps the tensor before it, which ends at {expectedBegin}");
            }
            if (entry.Begin > expectedBegin)
            {
                throw Invalid(name, $"bytes [{expectedBegin}, {entry.Begin}) of the data belong to no tensor (a hole before {entry.Name})");
            }
            if (entry.End > dataLength)
            {
                throw Invalid(name, $"tensor {entry.Name} ends at byte {entry.End} of the data but the data has {dataLength} bytes (the file is truncated)");
            }
            expectedBegin = entry.End;
        }
        if (expectedBegin != dataLength)
        {
            throw Invalid(name, $"{dataLength - expectedBegin} bytes of data after the last tensor belong to no tensor");
        }
    }

    private static UserInputException Invalid(string name, string detail) =>
        new($"{name}: not a valid safetensors checkpoint: {detail}; the file is damaged or was not written as a checkpoint, so save it again or pass another file");
}
