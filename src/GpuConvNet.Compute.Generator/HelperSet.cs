using System.Collections.Generic;

namespace GpuConvNet.Compute.Generator;

/// <summary>Small C helper functions a program needs, each emitted once, in first-use order.</summary>
internal sealed class HelperSet
{
    private readonly List<string> order = new();
    private readonly Dictionary<string, string> bodies = new();

    public void Add(string name, string definition)
    {
        if (!bodies.ContainsKey(name))
        {
            bodies[name] = definition;
            order.Add(name);
        }
    }

    public IEnumerable<string> Definitions
    {
        get
        {
            foreach (var name in order)
            {
                yield return bodies[name];
            }
        }
    }
}
