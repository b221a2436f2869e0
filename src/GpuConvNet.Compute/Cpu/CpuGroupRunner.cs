namespace GpuConvNet.Compute.Cpu;

/// <summary>
/// Runs the groups of one launch on one worker thread. The lanes of a group are iterators: each runs until its
/// next <c>Group.Barrier()</c> (where it yields the barrier's line) or its end; when every lane has stopped, the
/// group moves on together. A lane that ends while another waits, or lanes waiting at different barriers, is
/// barrier divergence: undefined on a GPU, reported here.
/// </summary>
internal sealed class CpuGroupRunner
{
    private readonly KernelDefinition kernel;
    private readonly CpuLaneBody body;
    private readonly CpuGroup group;
    private readonly CpuLane[] lanes;
    private readonly IEnumerator<int>?[] running;

    public CpuGroupRunner(KernelDefinition kernel, CpuLaneBody body, KernelConfig config)
    {
        this.kernel = kernel;
        this.body = body;
        group = new CpuGroup(config.GroupDim, config.GridDim, config.SharedMemoryConfig.ArraySize);
        lanes = new CpuLane[config.GroupSize];
        running = new IEnumerator<int>?[lanes.Length];
        for (int l = 0; l < lanes.Length; l++)
        {
            lanes[l] = new CpuLane(group) { GroupIndex = config.GroupDim.Delinearize(l) };
        }
    }

    public void Run(Index3D groupIndex, object?[] args)
    {
        group.Begin(groupIndex);
        try
        {
            for (int l = 0; l < lanes.Length; l++)
            {
                running[l] = body(args);
            }
            int finished = -1;
            while (true)
            {
                int waiting = -1;
                for (int l = 0; l < lanes.Length; l++)
                {
                    var lane = running[l];
                    if (lane is null)
                    {
                        continue;
                    }
                    if (!Step(l, lane))
                    {
                        running[l] = null;
                        finished = l;
                        continue;
                    }
                    if (waiting < 0)
                    {
                        waiting = l;
                    }
                    else if (lane.Current != running[waiting]!.Current)
                    {
                        throw Divergence($"lane {Describe(l)} waits at the barrier on line {lane.Current} " +
                            $"while lane {Describe(waiting)} waits at the barrier on line {running[waiting]!.Current}");
                    }
                }
                if (waiting < 0)
                {
                    return;
                }
                if (finished >= 0)
                {
                    throw Divergence($"lane {Describe(finished)} left the kernel while lane {Describe(waiting)} " +
                        $"waits at the barrier on line {running[waiting]!.Current}");
                }
            }
        }
        finally
        {
            CpuLane.Enter(null);
            Array.Clear(running);
        }
    }

    private bool Step(int l, IEnumerator<int> lane)
    {
        CpuLane.Enter(lanes[l]);
        try
        {
            return lane.MoveNext();
        }
        catch (Exception e) when (e is not KernelExecutionException)
        {
            throw new KernelExecutionException(
                $"kernel {kernel.Name} failed in group {Format(group.GroupIndex)}, lane {Describe(l)}: {e.Message}", e);
        }
    }

    private KernelExecutionException Divergence(string detail) =>
        new($"kernel {kernel.Name}: barrier divergence in group {Format(group.GroupIndex)}: {detail}. " +
            "Every lane of a group must reach the same Group.Barrier() calls.");

    private string Describe(int l) => Format(lanes[l].GroupIndex);

    private static string Format(Index3D i) => $"({i.X}, {i.Y}, {i.Z})";
}
