using System.CommandLine;
using GpuConvNet.Compute;
using Spectre.Console;

namespace GpuConvNet.Cli.Commands;

/// <summary><c>gpuconvnet devices</c>: every accelerator here with its limits, and why a backend is missing.</summary>
public static class DevicesCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("devices", "List the accelerators on this machine (ours: CUDA, OpenCL, CPU; ILGPU's: ilgpu-cuda, ilgpu-opencl, ilgpu-cpu) and which one 'best' picks");
        command.SetAction(_ =>
        {
            var table = new Table().AddColumns("id", "name", "type", "memory", "max group", "shared/group", "units", "platform");
            foreach (var device in Accelerators.All)
            {
                table.AddRow(Markup.Escape(device.Id), Markup.Escape(device.Name), device.Type.ToString(),
                    $"{device.MemoryBytes / (1 << 20):N0} MiB", device.MaxGroupSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"{device.SharedMemoryPerGroup / 1024:N0} KiB", device.ComputeUnits.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(device.Platform));
            }
            AnsiConsole.Write(table);
            foreach (var backend in Accelerators.Backends.Where(b => b.Unavailable is not null))
            {
                AnsiConsole.MarkupLineInterpolated($"[grey]{DeviceInfo.KindName(backend.Kind)}: unavailable because {backend.Unavailable}[/]");
            }
            AnsiConsole.MarkupLineInterpolated($"best: [bold]{Accelerators.BestDevice.Id}[/]");
            return 0;
        });
        return command;
    }
}
