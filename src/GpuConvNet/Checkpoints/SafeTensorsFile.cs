using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace GpuConvNet.Checkpoints;

/// <summary>A parsed and validated .safetensors file: its header entries, its metadata, and access to each tensor's bytes.</summary>
public sealed class SafeTensorsFile
{
    private readonly byte[] bytes;
    private readonly long dataStart;
    private readonly Dictionary<string, SafeTensorEntry> byName;

    internal SafeTensorsFile(string name, byte[] bytes, long dataStart, IReadOnlyList<SafeTensorEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Name = name;
        this.bytes = bytes;
        this.dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
        byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>The file the contents came from, as named in messages.</summary>
    public string Name { get; }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyList<SafeTensorEntry> Entries { get; }

    /// <summary>The "__metadata__" map (empty when the header has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The header entry of <paramref name="name"/>, or null.</summary>
    public SafeTensorEntry? Find(string name) => byName.GetValueOrDefault(name);

    /// <summary>The elements of the F32 tensor <paramref name="name"/>, converted from little-endian.</summary>
    /// <exception cref="KeyNotFoundException">There is no such tensor.</exception>
    /// <exception cref="UserInputException">The tensor is not F32.</exception>
    public float[] ReadFloats(string name)
    {
        var entry = Find(name) ?? throw new KeyNotFoundException($"{Name} has no tensor '{name}'");
        if (entry.DType != "F32")
        {
            throw new UserInputException($"{Name}: tensor {name} is {entry.DType}, but only F32 tensors can be loaded; re-save the checkpoint as float32");
        }
        var raw = bytes.AsSpan((int)(dataStart + entry.Begin), (int)(entry.End - entry.Begin));
        var values = new float[raw.Length / sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(raw).CopyTo(values);
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * sizeof(float))..]);
            }
        }
        return values;
    }

    /// <summary>The value of the scalar I64 tensor <paramref name="name"/>, or null when the file has no such tensor.</summary>
    /// <exception cref="UserInputException">The tensor is not a scalar I64.</exception>
    public long? ReadInt64Scalar(string name)
    {
        if (Find(name) is not { } entry)
        {
            return null;
        }
        if (entry.DType != "I64" || entry.End - entry.Begin != sizeof(long))
        {
            throw new UserInputException($"{Name}: tensor {name} should be one I64 value (a counter) but is {entry.DType} with {entry.End - entry.Begin} bytes");
        }
        return BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan((int)(dataStart + entry.Begin), sizeof(long)));
    }
}
