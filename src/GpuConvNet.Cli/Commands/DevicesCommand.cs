using System.CommandLine;
using System.Globalization;
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
            // Two columns, the details stacked under the name: readable in 80 columns, where eight columns were not.
            var grid = new Spectre.Console.Grid().AddColumn(new GridColumn().NoWrap().PadRight(3)).AddColumn();
            string best = Accelerators.BestDevice.Id;
            foreach (var device in Accelerators.All)
            {
                string details = string.Create(CultureInfo.InvariantCulture,
                    $"{device.Type.ToString().ToUpperInvariant()}, {Words.Count(device.ComputeUnits, "compute unit")}, {device.MemoryBytes / (1 << 20):N0} MiB, " +
                    $"groups of up to {device.MaxGroupSize:N0}, {device.SharedMemoryPerGroup / 1024:N0} KiB shared per group");
                grid.AddRow(new Markup(device.Id == best ? $"[bold]{Markup.Escape(device.Id)}[/]" : Markup.Escape(device.Id)),
                    new Markup($"{Markup.Escape(device.Name)}{(device.Id == best ? " [bold](best)[/]" : "")}\n[grey]{Markup.Escape(details)}\n{Markup.Escape(device.Platform)}[/]\n"));
            }
            AnsiConsole.Write(grid);
            foreach (var backend in Accelerators.Backends.Where(b => b.Unavailable is not null))
            {
                AnsiConsole.MarkupLineInterpolated($"[grey]{DeviceInfo.KindName(backend.Kind)}: unavailable because {backend.Unavailable}[/]");
            }
            AnsiConsole.MarkupLineInterpolated($"best: [bold]{best}[/]");
            return 0;
        });
        return command;
    }
}
