using GpuConvNet.Compute;
using GpuConvNet.Distributed;
using Spectre.Console;

namespace GpuConvNet.Cli;

/// <summary>
/// <c>train</c> as one of several processes that mpirun or srun started: the group it joins, the device its local rank
/// picks, and only rank 0 speaking (the others' standard output goes nowhere; their errors still reach stderr).
/// </summary>
public static class Ranks
{
    /// <summary>Joins the run's process group (this process alone when no launcher started several).</summary>
    public static IProcessGroup Join()
    {
        var group = ProcessGroups.Join();
        if (group.Rank != 0)
        {
            Console.SetOut(TextWriter.Null);
            AnsiConsole.Console = Terminal.Create(TextWriter.Null, redirected: true, Environment.GetEnvironmentVariable, null);
        }
        return group;
    }

    /// <summary>
    /// The device <paramref name="id"/> means for this rank: an engine's id (<c>opencl</c>, <c>cuda</c>, <c>best</c>'s
    /// engine) or the start of device ids (<c>opencl:pocl</c>) names all those devices, of which local rank r takes the
    /// r-th, round the list again when ranks outnumber them (several ranks then share a device, as on a CPU); an id
    /// that names one device (<c>cuda:1</c>, <c>opencl:pocl:0</c>) is that device for every rank. One process: <paramref name="id"/>.
    /// </summary>
    public static string Device(string id, IProcessGroup group)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(group);
        if (group.Size == 1)
        {
            return id;
        }
        var named = Accelerators.Find(id);
        string spec = id.Trim().ToLowerInvariant();
        string rest = spec.Contains(':', StringComparison.Ordinal) ? spec[(spec.IndexOf(':', StringComparison.Ordinal) + 1)..] : "";
        if (int.TryParse(rest, out _) || named.Id == spec)
        {
            return id;
        }
        var devices = Accelerators.Probe(named.Engine).Devices
            .Where(d => rest.Length == 0 ? !d.IsSimulator || d == named : d.Id.StartsWith(spec + ":", StringComparison.Ordinal))
            .ToList();
        return devices[group.LocalRank % devices.Count].Id;
    }
}
