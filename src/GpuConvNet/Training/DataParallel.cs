using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using GpuConvNet.Compute;
using GpuConvNet.Distributed;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;

namespace GpuConvNet.Training;

/// <summary>
/// Data-parallel training over a process group, as PyTorch's DistributedDataParallel: every rank holds the same model;
/// each global batch (the per-rank batch × the ranks) is cut into one contiguous shard per rank of the epoch's one
/// shuffled order; after the backward pass the gradients are summed in one all-reduce of one flat host buffer, each
/// rank's weighted by its share of the batch, so every rank takes the step one process would take on the whole batch.
/// With one process every operation leaves things as they are and copies nothing.
/// </summary>
internal sealed class DataParallel(IProcessGroup group)
{
    private readonly Stopwatch allReduce = new();
    private float[] flat = [];

    /// <summary>The group.</summary>
    public IProcessGroup Group => group;

    /// <summary>This process's rank; rank 0 writes the files.</summary>
    public int Rank => group.Rank;

    /// <summary>Processes training together.</summary>
    public int Size => group.Size;

    /// <summary>True with more than one process.</summary>
    public bool Distributed => group.Size > 1;

    /// <summary>Time spent in the gradients' all-reduce so far.</summary>
    public TimeSpan AllReduceTime => allReduce.Elapsed;

    /// <summary>Gradient all-reduces so far.</summary>
    public int AllReduces { get; private set; }

    /// <summary>
    /// This rank's part of the global batch [start, start + size): the parts are contiguous, disjoint, in rank order and
    /// balanced (a short last batch leaves each rank about size / ranks).
    /// </summary>
    public (int Start, int Size) Shard(int start, int size) => ShardOf(group, start, size);

    /// <summary><paramref name="group"/>'s rank's part of [start, start + size), as <see cref="Shard"/>.</summary>
    public static (int Start, int Size) ShardOf(IProcessGroup group, int start, int size)
    {
        long from = (long)size * group.Rank / group.Size, to = (long)size * (group.Rank + 1) / group.Size;
        return (start + (int)from, (int)(to - from));
    }

    /// <summary>What keys this rank's dropout masks and shifts at <paramref name="step"/>: distinct per rank; the step itself on one process.</summary>
    public int RandomKey(int step) => step * Size + Rank;

    /// <summary>
    /// Makes every parameter's gradient the whole batch's mean gradient: each rank's (the mean over its
    /// <paramref name="shard"/> examples) is weighted by shard ÷ <paramref name="batch"/> and summed over the ranks in one
    /// all-reduce, which also carries <paramref name="stopRequested"/>: returns true when any rank asked to stop, so
    /// that all stop after the same step.
    /// </summary>
    public bool AverageGradients(IReadOnlyList<Parameter> parameters, int shard, int batch, bool stopRequested)
    {
        if (!Distributed)
        {
            return stopRequested;
        }
        int total = parameters.Sum(p => p.Length);
        if (flat.Length != total + 1)
        {
            flat = new float[total + 1];
        }
        float weight = shard / (float)batch;
        int offset = 0;
        foreach (var parameter in parameters)
        {
            var part = flat.AsSpan(offset, parameter.Length);
            if (shard == 0)
            {
                // No example here this step: the buffer still holds an earlier step's gradient.
                part.Clear();
            }
            else
            {
                parameter.Gradient.CopyToHost(part);
                foreach (ref float g in part)
                {
                    g *= weight;
                }
            }
            offset += parameter.Length;
        }
        flat[total] = stopRequested ? 1f : 0f;
        allReduce.Start();
        group.Sum(flat);
        allReduce.Stop();
        AllReduces++;
        offset = 0;
        foreach (var parameter in parameters)
        {
            parameter.Gradient.CopyFromHost(flat.AsSpan(offset, parameter.Length));
            offset += parameter.Length;
        }
        return flat[total] > 0f;
    }

    /// <summary>Sums <paramref name="values"/> (loss totals, correct counts) over the ranks.</summary>
    public void Sum(Span<double> values)
    {
        if (Distributed)
        {
            group.Sum(values);
        }
    }

    /// <summary>
    /// Makes every rank's model and optimiser rank 0's: the parameters, the layers' running statistics and counters,
    /// the optimiser's state and step count. Before the first step, so that the ranks start as one.
    /// </summary>
    public void Synchronize(Model model, ParameterOptimizer optimizer)
    {
        if (!Distributed)
        {
            return;
        }
        BroadcastWeights(model);
        var counters = model.Counters.ToList();
        long[] counts = [.. counters.Select(c => c.Value), optimizer.Steps];
        group.Broadcast(MemoryMarshal.AsBytes(counts.AsSpan()));
        for (int i = 0; i < counters.Count; i++)
        {
            counters[i].Value = counts[i];
        }
        var tensors = optimizer.StateTensors().ToDictionary(t => t.Name, t =>
        {
            var values = t.Buffer.ToArray();
            group.Broadcast(values);
            return values;
        });
        optimizer.Restore(checked((int)counts[^1]), name => tensors[name]);
    }

    /// <summary>
    /// Makes the layers' running statistics (batch norm's mean and variance, gathered by each rank on its own shards)
    /// their mean over the ranks, so every rank's model is the same one when it is evaluated and saved.
    /// </summary>
    public void AverageRunningStatistics(Model model)
    {
        if (!Distributed)
        {
            return;
        }
        foreach (var state in model.States)
        {
            var values = state.Value.ToArray();
            group.Sum(values);
            foreach (ref float v in values.AsSpan())
            {
                v /= Size;
            }
            state.Value.CopyFromHost(values);
        }
    }

    /// <summary>Makes <paramref name="model"/>'s parameters and running statistics rank 0's on every rank.</summary>
    public void BroadcastWeights(Model model)
    {
        if (!Distributed)
        {
            return;
        }
        foreach (var buffer in model.Parameters.Select(p => p.Value).Concat(model.States.Select(s => s.Value)))
        {
            Broadcast(buffer);
        }
    }

    /// <summary>
    /// Checks that every rank was started with the same <paramref name="settings"/> (name, value), before the first
    /// step: rank 0's values are broadcast and compared; all ranks agree on the first that differs anywhere and throw.
    /// </summary>
    /// <exception cref="UserInputException">Some rank's value of a setting differs from rank 0's.</exception>
    public void RequireSameSettings(IReadOnlyList<(string Setting, string Value)> settings)
    {
        if (!Distributed)
        {
            return;
        }
        var rank0 = BroadcastText(string.Join('\0', settings.Select(s => s.Value))).Split('\0');
        int differs = Enumerable.Range(0, settings.Count).FirstOrDefault(i => i >= rank0.Length || rank0[i] != settings[i].Value, int.MaxValue);
        Span<int> first = [differs];
        group.Min(first);
        if (first[0] == int.MaxValue)
        {
            return;
        }
        var (name, mine) = settings[first[0]];
        string theirs = first[0] < rank0.Length ? rank0[first[0]] : "nothing";
        throw new UserInputException($"the {Size} processes were started with different {name}: rank 0 has {theirs}" +
            (mine != theirs ? $", rank {Rank} has {mine}" : ", another rank differs") + "; start every rank with the same options and data");
    }

    private string BroadcastText(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<int> length = [bytes.Length];
        group.Broadcast(MemoryMarshal.AsBytes(length));
        var received = new byte[length[0]];
        bytes.AsSpan(0, Math.Min(bytes.Length, received.Length)).CopyTo(received);
        group.Broadcast(received);
        return Encoding.UTF8.GetString(received);
    }

    private void Broadcast(MemoryBuffer<float> buffer)
    {
        var values = buffer.ToArray();
        group.Broadcast(values);
        buffer.CopyFromHost(values);
    }
}
