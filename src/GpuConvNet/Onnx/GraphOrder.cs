using Onnx;

namespace GpuConvNet.Onnx;

/// <summary>An ONNX graph's nodes in an order where each comes after the nodes it reads from, or a refusal naming a cycle.</summary>
internal static class GraphOrder
{
    /// <summary>
    /// The indices of <paramref name="nodes"/> in topological order (Kahn's algorithm, ties in file order). Names in
    /// <paramref name="available"/> (the graph's input, initializers, constants) need no producer; any other input must
    /// be the output of exactly one node.
    /// </summary>
    public static IReadOnlyList<int> Sort(IReadOnlyList<NodeReader> nodes, IReadOnlySet<string> available, string path)
    {
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < nodes.Count; i++)
        {
            foreach (var output in nodes[i].Node.Output.Where(o => o.Length > 0))
            {
                if (available.Contains(output) || !producer.TryAdd(output, i))
                {
                    throw nodes[i].Refuse($"writes '{output}', which another node, an input or an initializer already defines");
                }
            }
        }
        var waiting = new int[nodes.Count];
        var readers = new List<int>[nodes.Count];
        for (int i = 0; i < nodes.Count; i++)
        {
            readers[i] = [];
        }
        for (int i = 0; i < nodes.Count; i++)
        {
            foreach (var input in nodes[i].Node.Input.Where(n => n.Length > 0 && !available.Contains(n)))
            {
                if (!producer.TryGetValue(input, out int from))
                {
                    throw nodes[i].Refuse($"reads '{input}', which is no node's output, no input and no initializer");
                }
                waiting[i]++;
                readers[from].Add(i);
            }
        }
        var ready = new PriorityQueue<int, int>();
        for (int i = 0; i < nodes.Count; i++)
        {
            if (waiting[i] == 0)
            {
                ready.Enqueue(i, i);
            }
        }
        var order = new List<int>(nodes.Count);
        while (ready.TryDequeue(out int i, out _))
        {
            order.Add(i);
            foreach (int reader in readers[i])
            {
                if (--waiting[reader] == 0)
                {
                    ready.Enqueue(reader, reader);
                }
            }
        }
        if (order.Count < nodes.Count)
        {
            var stuck = Enumerable.Range(0, nodes.Count).Where(i => waiting[i] > 0).Take(3).Select(i => nodes[i].Label);
            throw new UserInputException($"{path}: the graph has a cycle: {string.Join(", ", stuck)} (and any nodes after them) wait on outputs that depend on their own");
        }
        return order;
    }
}
