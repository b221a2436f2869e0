namespace GpuConvNet.Distributed;

/// <summary>
/// The processes that train one model together, one per accelerator: each knows its rank, and the collectives combine
/// equal-length buffers across all of them. Every process must make the same calls in the same order, as in MPI.
/// </summary>
public interface IProcessGroup
{
    /// <summary>This process's rank, 0 … <see cref="Size"/> − 1; rank 0 writes the run's files.</summary>
    int Rank { get; }

    /// <summary>Processes in the group.</summary>
    int Size { get; }

    /// <summary>This process's rank among those on its machine: which of the machine's devices it uses.</summary>
    int LocalRank { get; }

    /// <summary>Replaces <paramref name="values"/> with their element-wise sum over every process.</summary>
    void Sum(Span<float> values);

    /// <summary>Replaces <paramref name="values"/> with their element-wise sum over every process.</summary>
    void Sum(Span<double> values);

    /// <summary>Replaces <paramref name="values"/> with their element-wise sum over every process.</summary>
    void Sum(Span<int> values);

    /// <summary>Replaces <paramref name="values"/> with their element-wise minimum over every process.</summary>
    void Min(Span<int> values);

    /// <summary>Replaces <paramref name="data"/> on every process with rank 0's.</summary>
    void Broadcast(Span<byte> data);

    /// <summary>Replaces <paramref name="values"/> on every process with rank 0's.</summary>
    void Broadcast(Span<float> values);
}

/// <summary>A group of one: this process alone; every collective leaves its buffer as it is.</summary>
public sealed class SingleProcess : IProcessGroup
{
    /// <summary>The one instance.</summary>
    public static SingleProcess Instance { get; } = new();

    private SingleProcess() { }

    /// <inheritdoc />
    public int Rank => 0;

    /// <inheritdoc />
    public int Size => 1;

    /// <inheritdoc />
    public int LocalRank => 0;

    /// <inheritdoc />
    public void Sum(Span<float> values) { }

    /// <inheritdoc />
    public void Sum(Span<double> values) { }

    /// <inheritdoc />
    public void Sum(Span<int> values) { }

    /// <inheritdoc />
    public void Min(Span<int> values) { }

    /// <inheritdoc />
    public void Broadcast(Span<byte> data) { }

    /// <inheritdoc />
    public void Broadcast(Span<float> values) { }
}
